/** The API token of test gateways. */
export const TEST_API_TOKEN = 'test-api-token-0123456789';
/** The ingest secret of test gateways. */
export const TEST_INGEST_SECRET = 'test-ingest-secret-0123456789';
