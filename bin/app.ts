import { App } from 'aws-cdk-lib';
import { addChasquiStack } from '../lib/chasqui-app';

const app = new App();
addChasquiStack(app);
app.synth();
