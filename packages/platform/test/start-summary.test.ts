// The summary `npm start` prints once every service is ready: the table and where things are.
import { servicesTable, statusPageUrl, whereLines, type ServiceStatus } from '../src';

function status(name: string, port: number): ServiceStatus {
  return { name, url: `http://127.0.0.1:${port}`, pid: port, status: 'ready', bootMs: 900, rssMb: 80 };
}

const SERVICES = [status('azora-nexus', 3000), status('monitoring-service', 3013), status('api-gateway', 4000)];

describe('start summary', () => {
  it("When the platform is up, then the status page is Monitoring's root, and the monitoring row of the table links to it", () => {
    // Act
    const table = servicesTable(SERVICES).split('\n');

    // Assert
    expect(statusPageUrl(SERVICES)).toBe('http://127.0.0.1:3013/');
    expect(table.find((line) => line.startsWith('monitoring-service'))).toMatch(
      /^monitoring-service +http:\/\/127\.0\.0\.1:3013\/ +ready/,
    );
    expect(table.find((line) => line.startsWith('azora-nexus'))).toMatch(
      /^azora-nexus +http:\/\/127\.0\.0\.1:3000 +ready/,
    );
  });

  it('When the platform is up, then the lines under the table give the status page first, then the gateway and its docs', () => {
    // Act
    const lines = whereLines(SERVICES);

    // Assert
    expect(lines).toEqual([
      'status page     http://127.0.0.1:3013/ (JSON: http://127.0.0.1:3013/api/services/status)',
      'gateway         http://127.0.0.1:4000',
      'API docs        http://127.0.0.1:4000/docs',
      'upstream health http://127.0.0.1:4000/api/health',
      'health metrics  http://127.0.0.1:3013/metrics',
    ]);
  });

  it('When the status page did not answer as a page, then its line says so instead of sending anyone to an error', () => {
    // Act
    const lines = whereLines(SERVICES, '404 Not Found');

    // Assert
    expect(lines[0]).toBe('status page     http://127.0.0.1:3013/ did not answer as a page (404 Not Found)');
  });
});
