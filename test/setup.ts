import 'aws-sdk-client-mock-jest';

// Handlers built in tests log through Powertools; keep the test output readable.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
