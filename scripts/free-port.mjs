/**
 * A TCP port that was free a moment ago on a loopback address, for tests and benches that must name a port before the
 * server starts (a restart on the same port, a child process told its port). Anything that can listen on port 0 and
 * report its port should do that instead: nothing stops another process from taking this one in between.
 */
import { createServer } from "node:net";

/**
 * @param {string} [host] the address to probe, 127.0.0.1 unless given
 * @returns {Promise<number>}
 * @example const port = await freePort(); spawn(process.execPath, ["server.js"], { env: { PORT: String(port) } });
 */
export function freePort(host = "127.0.0.1") {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
