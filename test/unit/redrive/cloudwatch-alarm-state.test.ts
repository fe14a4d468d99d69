import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchAlarmState } from '../../../layers/core/adapters/aws/cloudwatch-alarm-state';

const cloudwatch = mockClient(CloudWatchClient);
const ALARM = 'Chasqui-dev-ObservabilityProcessingDlqNotEmpty-1A2B3C';

describe('CloudWatch alarm state', () => {
  beforeEach(() => cloudwatch.reset());

  it('reads the state of the named metric alarm', async () => {
    // Prepare
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: ALARM, StateValue: 'ALARM' }] });
    const alarm = new CloudWatchAlarmState({
      alarmName: ALARM,
      client: new CloudWatchClient({ region: 'us-east-1' }),
    });

    // Act
    const state = await alarm.current();

    // Assess
    expect(state).toBe('ALARM');
    expect(cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: [ALARM],
      AlarmTypes: ['MetricAlarm'],
    });
  });

  it('fails when the alarm does not exist, rather than guessing a state', async () => {
    // Prepare
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const alarm = new CloudWatchAlarmState({
      alarmName: ALARM,
      client: new CloudWatchClient({ region: 'us-east-1' }),
    });

    // Act
    const state = alarm.current();

    // Assess
    await expect(state).rejects.toThrow(`CloudWatch alarm ${ALARM} not found`);
  });
});
