// Fault actions of the harness's TCP proxy, one small registered unit each (the toxiproxy habit):
// a name, what it models, and what it does to one proxied connection. The proxy applies a fault
// to the connections that exist at that moment; connections opened later always pass untouched.
import type { ProxiedConnection } from './fault-proxy.ts';

export interface ProxyFault {
  name: string;
  /** The real-world event this stands in for, shown in stdout and in the article. */
  models: string;
  apply(conn: ProxiedConnection): void;
}

/** RST toward Bun now; the server side is closed too. */
const rst: ProxyFault = {
  name: 'rst',
  models: 'a reset that reaches the paused process (a proxy or the server host drops the flow loudly)',
  apply(conn) {
    conn.mode = 'closed';
    conn.upstream.destroy();
    conn.client.resetAndDestroy();
    conn.sent = 'rst';
  },
};

/** FIN toward Bun now; the server side is closed too. */
const fin: ProxyFault = {
  name: 'fin',
  models: 'an orderly close that reaches the paused process',
  apply(conn) {
    conn.mode = 'closed';
    conn.upstream.destroy();
    conn.client.end();
    conn.sent = 'fin';
  },
};

/**
 * The server side is gone, but nothing reaches Bun: its socket stays ESTABLISHED until it sends,
 * and its first packet is answered with an RST, like a peer whose socket no longer exists.
 */
const lazyRst: ProxyFault = {
  name: 'lazy-rst',
  models: 'a frozen VM: the server closed, its FIN was lost, the first packet after resume meets an RST',
  apply(conn) {
    conn.mode = 'lazy-rst';
    conn.upstream.destroy();
  },
};

/**
 * Stop forwarding both ways and never close. The proxy's kernel still ACKs what Bun sends,
 * so Bun sees a peer that is alive but silent: no FIN, no RST, no keepalive failure.
 */
const blackhole: ProxyFault = {
  name: 'blackhole',
  models: 'NAT, conntrack or proxy state lost during the pause: packets vanish, nothing ever answers',
  apply(conn) {
    conn.mode = 'blackhole';
  },
};

export const proxyFaults = {
  rst,
  fin,
  'lazy-rst': lazyRst,
  blackhole,
} as const satisfies Record<string, ProxyFault>;

export type ProxyFaultName = keyof typeof proxyFaults;
