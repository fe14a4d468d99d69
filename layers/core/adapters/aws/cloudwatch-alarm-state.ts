import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmState, AlarmStateValue } from '../../redrive/ports';

export interface CloudWatchAlarmStateOptions {
  alarmName: string;
  client?: CloudWatchClient;
}

/** The DLQ alarm's state from CloudWatch (the function may call DescribeAlarms on this alarm only). */
export class CloudWatchAlarmState implements AlarmState {
  private readonly client: CloudWatchClient;

  constructor(private readonly options: CloudWatchAlarmStateOptions) {
    this.client = options.client ?? new CloudWatchClient({});
  }

  async current(): Promise<AlarmStateValue> {
    const { MetricAlarms = [] } = await this.client.send(
      new DescribeAlarmsCommand({ AlarmNames: [this.options.alarmName], AlarmTypes: ['MetricAlarm'] }),
    );
    const state = MetricAlarms[0]?.StateValue;
    if (!state) throw new Error(`CloudWatch alarm ${this.options.alarmName} not found`);
    return state;
  }
}
