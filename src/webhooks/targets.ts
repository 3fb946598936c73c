import dns from 'node:dns';
import net from 'node:net';

/**
 * R-INT-4: where webhooks may be sent. Unless the operator allows private targets, an endpoint must
 * be https on a public address: never loopback, a private or carrier-grade NAT range, link-local
 * (cloud metadata services live there), unique-local IPv6, multicast or a reserved range. The same
 * rule is checked when an endpoint is saved and again on every connection, against each address
 * the name resolves to then (a name may change what it points at after it was saved).
 */

const BLOCKED = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID…)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: carries an IPv4 address of any kind
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(address, prefix, 'ipv6');
}

/**
 * The IPv4 address an IPv6 address carries, where it carries one that a router would act on:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and the well-known NAT64 prefix
 * (64:ff9b::a.b.c.d). Those are judged as the IPv4 address they name.
 */
function embeddedIpv4(address: string): string | null {
  const words = expandIpv6(address);
  if (!words) return null;
  const head = words.slice(0, 6);
  const mapped = head.slice(0, 5).every((w) => w === 0) && (head[5] === 0xffff || head[5] === 0);
  const nat64 = words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0);
  if (!mapped && !nat64) return null;
  const hi = words[6]!;
  const lo = words[7]!;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** The eight 16-bit words of an IPv6 address (with an embedded dotted IPv4 tail allowed), or null. */
function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    if (!net.isIPv4(tail[1]!)) return null;
    const [a, b, c, d] = tail[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -tail[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((w) => Number.parseInt(w, 16)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? left.length !== 8 : missing < 1) return null;
  const words = halves.length === 2 ? [...left, ...Array<number>(missing).fill(0), ...right] : left;
  return words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

/** Whether an IP address (v4 or v6 text) is one webhooks must not reach unless the operator allows it. */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) return BLOCKED.check(address, 'ipv4');
  if (!net.isIPv6(address)) return true; // not an address at all: refuse rather than guess
  const v4 = embeddedIpv4(address);
  if (v4 !== null) return BLOCKED.check(v4, 'ipv4');
  return BLOCKED.check(address.split('%')[0]!, 'ipv6');
}

/** A URL's host as an address, for an IP literal ("[::1]" → "::1"), or null for a name. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return net.isIP(bare) ? bare : null;
}

export class TargetRefused extends Error {
  readonly code: 'private_target' | 'scheme' | 'credentials' | 'bad_url';
  constructor(code: TargetRefused['code'], message: string) {
    super(message);
    this.name = 'TargetRefused';
    this.code = code;
  }
}

const PRIVATE_MESSAGE =
  'This address is on a private, loopback or otherwise internal network, which webhooks cannot reach on this installation. Use a public https address (the operator can allow internal addresses with WEBHOOK_ALLOW_PRIVATE_TARGETS).';

/** The checks on the shape of an endpoint's address that need no name lookup. */
export function checkTargetUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('bad_url', 'Enter a full web address, such as https://pms.example.com/motus/webhooks.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefused('scheme', 'A webhook address starts with https://.');
  // Plain http would show patient ids to anyone on the way: only for internal targets the operator allows.
  if (url.protocol === 'http:' && !allowPrivate) throw new TargetRefused('scheme', 'A webhook address must use https:// on this installation.');
  if (url.username || url.password) throw new TargetRefused('credentials', 'Leave the user name and password out of the address: Motus signs every request instead.');
  if (!url.hostname) throw new TargetRefused('bad_url', 'The address has no host name.');
  const literal = literalAddress(url.hostname);
  if (!allowPrivate && literal !== null && isPrivateAddress(literal)) throw new TargetRefused('private_target', PRIVATE_MESSAGE);
  if (!allowPrivate && literal === null && /(^|\.)(localhost|localdomain|internal|local|home\.arpa)$/i.test(url.hostname.replace(/\.$/, ''))) {
    throw new TargetRefused('private_target', PRIVATE_MESSAGE);
  }
  return url;
}

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;
const lookupAll: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * When an endpoint is saved: the shape, then every address its name resolves to now. A name that
 * does not resolve (yet) is accepted: each delivery resolves it again and refuses internal answers.
 */
export async function checkTarget(raw: string, allowPrivate: boolean, options: { lookup?: LookupAll; timeoutMs?: number } = {}): Promise<URL> {
  const url = checkTargetUrl(raw, allowPrivate);
  if (allowPrivate || literalAddress(url.hostname) !== null) return url;
  const lookup = options.lookup ?? lookupAll;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    lookup(url.hostname).catch(() => []),
    new Promise<[]>((resolve) => {
      timer = setTimeout(() => resolve([]), options.timeoutMs ?? 3000);
    }),
  ]).finally(() => clearTimeout(timer));
  if (addresses.some((a) => isPrivateAddress(a.address))) throw new TargetRefused('private_target', PRIVATE_MESSAGE);
  return url;
}

/**
 * The `lookup` a delivery's socket uses: it resolves the name (with `resolve`, the system's
 * resolver unless a test gives another) and fails the connection if any answer is internal, so the
 * address checked is the address connected to: no gap in which a name could be pointed elsewhere.
 */
export function guardedLookup(allowPrivate: boolean, resolve: LookupAll = lookupAll): net.LookupFunction {
  return (hostname, options, callback) => {
    const answer = callback as unknown as (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return answer(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) return answer(new TargetRefused('private_target', `Not sent: ${hostname} resolves to an internal address.`), []);
        if ((options as { all?: boolean }).all) return answer(null, addresses.map((a) => ({ address: a.address, family: a.family })));
        return answer(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: Error) => answer(err, []),
    );
  };
}
