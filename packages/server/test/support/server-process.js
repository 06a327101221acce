// Runs the BUILT gateway (packages/server/dist) as its own process, configured by LIVEHOOKS_* variables,
// for the tests that need a real process: kill -9, SIGTERM, several replicas on one database.
import { loadConfig, startServer } from '../../dist/index.js';

const server = await startServer(loadConfig({ env: process.env }));
process.send?.({ url: server.url, apiToken: server.apiToken });
