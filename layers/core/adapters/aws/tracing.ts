import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/**
 * X-Ray through Powertools, for the functions that reach the database, the Graph API and the LLM
 * providers (processor, reminder, redrive). Created on import, it also traces every `fetch` and
 * HTTPS request; outside Lambda (tests, the local stack) Powertools turns it off by itself.
 *
 * The ingress does not import it: the X-Ray SDK would weigh on the cold start Meta waits for, and
 * its work is two DynamoDB calls and one SQS call that Lambda's active tracing already shows.
 */
export const tracer = new Tracer();

/** An AWS SDK v3 client whose calls appear as subsegments of the invocation's trace. */
export const traced = <C>(client: C): C => tracer.captureAWSv3Client(client);

/**
 * A Lambda handler in its own `## handler` subsegment, annotated with cold start and service, with
 * the error as metadata when it throws. The response is left out: it can carry message ids.
 */
export const traceHandler =
  <E, R>(handler: (event: E, context: Context) => Promise<R>) =>
  async (event: E, context: Context): Promise<R> => {
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${context.functionName}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(event, context);
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
    }
  };
