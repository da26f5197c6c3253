// Sends records to the fluentforward receiver with fluent-logger-node (npm fluent-logger), which
// implements the forward protocol's HELO/PING/PONG with shared key and user authentication.
// Usage: node send.js PORT CA_FILE SHARED_KEY USERNAME PASSWORD COUNT
// Prints "RESULT: ok" once every record is acknowledged, or "RESULT: <error>" and exits 2.
const logger = require('fluent-logger');
const fs = require('fs');

const [port, caFile, sharedKey, username, password, count] = process.argv.slice(2);
const sender = logger.createFluentSender('node', {
  host: 'localhost',
  port: Number(port),
  timeout: 5.0,
  reconnectInterval: 600000,
  requireAckResponse: true,
  ackResponseTimeout: 10000,
  tls: true,
  tlsOptions: { ca: fs.readFileSync(caFile) },
  security: { clientHostname: 'node-client', sharedKey, username, password },
  internalLogger: { info() {}, error() {} },
});

function fail(message) {
  console.log('RESULT: ' + message);
  process.exit(2);
}

sender.on('error', (e) => fail(e.message));
setTimeout(() => fail('timed out'), 20000).unref();

let acked = 0;
for (let i = 0; i < Number(count); i++) {
  sender.emit('app', { log: 'from node ' + i }, (err) => {
    if (err) {
      fail(err.message);
    }
    if (++acked === Number(count)) {
      console.log('RESULT: ok');
      sender.end();
      process.exit(0);
    }
  });
}
