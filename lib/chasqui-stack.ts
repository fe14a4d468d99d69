import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ChasquiConfig } from './config';
import { Database } from './constructs/database';
import { Ingress } from './constructs/ingress';
import { Observability } from './constructs/observability';
import { Processing } from './constructs/processing';
import { Redrive } from './constructs/redrive';
import { Reminders } from './constructs/reminders';
import { ApplicationSecrets } from './constructs/secrets';
import { State } from './constructs/state';

export interface ChasquiStackProps extends StackProps {
  readonly config: ChasquiConfig;
  /** Changes on every deploy so the migrations run; see {@link Database}. */
  readonly deployNonce: string;
}

/** One environment of Chasqui: the path of a message from Meta's webhook to the reply, and its support. */
export class ChasquiStack extends Stack {
  public readonly state: State;
  public readonly secrets: ApplicationSecrets;
  public readonly database: Database;
  public readonly reminders: Reminders;
  public readonly processing: Processing;
  public readonly ingress: Ingress;
  public readonly observability: Observability;
  public readonly redrive: Redrive;

  constructor(scope: Construct, id: string, props: ChasquiStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('project', 'chasqui');
    Tags.of(this).add('stage', config.envName);

    this.state = new State(this, 'State', {
      pointInTimeRecovery: config.state.pointInTimeRecovery,
      removalPolicy: config.state.removalPolicy,
      rawDeadLetterExpirationDays: config.state.rawDeadLetterExpirationDays,
    });
    this.secrets = new ApplicationSecrets(this, 'Secrets', { removalPolicy: config.state.removalPolicy });
    this.database = new Database(this, 'Database', { config, deployNonce: props.deployNonce });
    this.reminders = new Reminders(this, 'Reminders', {
      config,
      database: this.database,
      secrets: this.secrets,
      stateTable: this.state.table,
    });
    this.processing = new Processing(this, 'Processing', {
      config,
      database: this.database,
      secrets: this.secrets,
      stateTable: this.state.table,
      reminders: this.reminders,
    });
    this.ingress = new Ingress(this, 'Ingress', {
      config,
      queue: this.processing.queue,
      stateTable: this.state.table,
      rawDeadLetterBucket: this.state.rawDeadLetterBucket,
      secrets: this.secrets,
    });
    this.observability = new Observability(this, 'Observability', {
      config,
      processingQueue: this.processing.queue,
      processingDeadLetterQueue: this.processing.deadLetterQueue,
      schedulerDeadLetterQueue: this.reminders.schedulerDeadLetterQueue,
    });
    this.redrive = new Redrive(this, 'Redrive', {
      config,
      database: this.database,
      stateTable: this.state.table,
      sourceQueue: this.processing.queue,
      deadLetterQueue: this.processing.deadLetterQueue,
      deadLetterAlarm: this.observability.processingDlqAlarm,
    });
    this.observability.watchFunctions([
      this.ingress.ingressFunction,
      this.processing.processorFunction,
      this.reminders.reminderFunction,
      this.redrive.redriveFunction,
    ]);
  }
}
