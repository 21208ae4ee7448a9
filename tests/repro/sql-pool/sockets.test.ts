// The kernel's table of TCP sockets (/proc/<pid>/net/tcp) as the harness reads it: state, pending
// timer and its expiry, for the pool's connections. The lines below are real ones, from a Bun 1.4.5
// worker (keepalive armed) and a Bun 1.3.14 worker (none), with the header the kernel prints.
import { describe, expect, it } from 'vitest';
import { parseTcpTable, poolSockets } from '../../../repro/scenarios/sql-pool/sockets.ts';

const TABLE = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:DABF 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 4670 1 00000000562006d2 100 0 0 10 0',
  '   6: 0100007F:812C 0100007F:DABF 01 00000000:00000000 02:00001757 00000000     0        0 4807 4 0000000023e6df5e 20 4 29 13 -1',
  '   3: 0100007F:80FE 0100007F:DABF 01 00000000:00000000 00:00000000 00000000     0        0 4781 3 00000000f99f0ea5 20 4 27 13 -1',
  '   2: 0100007F:80FE 0100007F:DABF 06 00000000:00000000 03:00001751 00000000     0        0 0 3 000000006bb828a4',
  'not a line of the table',
].join('\n');

describe('parseTcpTable', () => {
  it('reads state, timer and expiry (ticks of 10 ms) of each socket, and the ports in hex', () => {
    expect(parseTcpTable(TABLE)).toEqual([
      { inode: 4670, localPort: 0xdabf, remotePort: 0, state: 'listen', timer: 'none', timerMs: null },
      {
        inode: 4807,
        localPort: 0x812c,
        remotePort: 0xdabf,
        state: 'established',
        timer: 'keepalive',
        timerMs: 0x1757 * 10,
      },
      { inode: 4781, localPort: 0x80fe, remotePort: 0xdabf, state: 'established', timer: 'none', timerMs: null },
      { inode: 0, localPort: 0x80fe, remotePort: 0xdabf, state: 'time-wait', timer: 'time-wait', timerMs: 0x1751 * 10 },
    ]);
  });
});

describe('poolSockets', () => {
  const [, keepalive, plain] = parseTcpTable(TABLE);
  const options = new Map([
    [4807, { keepAlive: true, keepIdleS: 60, keepIntvlS: 1, keepCnt: 10, userTimeoutMs: 0, noDelay: true }],
  ]);

  it('a socket no longer listed before the resume is gone: the kernel closed it during the pause', () => {
    const [closed, open] = poolSockets([keepalive!, plain!], [plain!], options);
    expect(closed).toMatchObject({
      inode: 4807,
      options: { keepAlive: true },
      atFreeze: { timer: 'keepalive' },
      beforeResume: { state: 'gone', timer: 'none', timerMs: null },
    });
    expect(open).toMatchObject({ inode: 4781, options: null, beforeResume: { state: 'established' } });
  });

  it('no reading before the resume is recorded as none, not as gone', () => {
    expect(poolSockets([plain!], null, options)[0]!.beforeResume).toBeNull();
  });
});
