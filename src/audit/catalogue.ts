import type { TunnelRole } from '../tunnels/tunnel.js';

/**
 * Every finding the audit can raise: a stable id (scripts and tickets key on
 * it), a severity, what it means and what to do. Rules in rules.ts add the
 * specifics (which tunnel, how many packets).
 */
export type Severity = 'info' | 'low' | 'medium' | 'high';
export const SEVERITIES: Severity[] = ['info', 'low', 'medium', 'high'];

export interface FindingKind {
  readonly severity: Severity;
  readonly title: string;
  readonly advice: string;
  /** Advice worded for a tunnel's role where the general advice does not apply (see TunnelRole). */
  readonly adviceByRole?: Partial<Record<TunnelRole, string>>;
}

export const CATALOGUE = {
  'cleartext-tunnel': {
    severity: 'high',
    title: 'Tunnel payload crosses the network unencrypted',
    advice:
      'GRE, IP in IP and L2TPv3 encrypt nothing: run the tunnel inside ' +
      'IPsec (ESP, transport mode, between the tunnel endpoints) or replace ' +
      'it with an IPsec VTI or WireGuard.',
    adviceByRole: {
      multipoint:
        'mGRE (DMVPN) encrypts nothing: protect the tunnel interface of the ' +
        'hub and every spoke with IPsec (tunnel protection ipsec profile ' +
        'NAME), so that hub-to-spoke and spoke-to-spoke tunnels are all encrypted.',
      'remote-access':
        "L2TP and PPTP carry their users' PPP frames as they are: here they are " +
        'readable. Run L2TP inside IPsec (L2TP/IPsec, RFC 3193: ESP in transport ' +
        'mode on UDP 1701, as Windows, macOS and strongSwan set it up), and ' +
        'replace PPTP (see the pptp finding).',
      overlay:
        'VXLAN and Geneve encrypt nothing: tenant frames cross the underlay ' +
        'readable. Encrypt between the VTEPs (IPsec or MACsec on the underlay, ' +
        'or an overlay that encrypts), and keep the underlay a network you trust.',
      'multicast-distribution':
        'Multicast GRE (draft-rosen MDT, OTV) goes from one sender to a ' +
        'group, where point-to-point IPsec cannot follow: encrypt it with ' +
        'group keys (GETVPN/GDOI, RFC 6407), or keep the distribution tree ' +
        'inside a trusted core.',
    },
  },
  'mirror-cleartext': {
    severity: 'medium',
    title: 'Mirrored traffic (ERSPAN) crosses the network in clear',
    advice:
      'ERSPAN sends a copy of every mirrored frame, readable, to the ' +
      'collector: carry it on a dedicated monitoring network or VRF, mirror ' +
      'only the ports and VLANs you need, and protect the path where it ' +
      'crosses links you do not trust (IPsec or MACsec between the source ' +
      'switch and the collector).',
  },
  'redirect-cleartext': {
    severity: 'info',
    title: 'WCCP redirection in GRE, unencrypted by design',
    advice:
      "WCCP carries clients' own traffic unchanged from the router to the " +
      'cache: keep router and cache on a trusted segment and set a WCCP ' +
      'service password (MD5) so that no other host can join the service group.',
  },
  'cleartext-routing': {
    severity: 'high',
    title: 'Routing protocol without authentication inside a readable tunnel',
    advice:
      "Anyone on the path can read and forge routes: enable the protocol's " +
      'authentication (OSPF HMAC-SHA or MD5, RIPv2 MD5, EIGRP key chains, ' +
      'IS-IS HMAC-MD5 or HMAC-SHA, TCP-AO or TCP-MD5 for BGP and LDP ' +
      'sessions) and encrypt the tunnel.',
  },
  'routing-readable': {
    severity: 'low',
    title: 'Routing protocol readable inside an integrity-only tunnel',
    advice:
      'The IPsec SA around the tunnel (AH, or ESP with NULL encryption) authenticates these packets between ' +
      'the routers, so routes cannot be forged on the path as long as the routers take the tunnel only through ' +
      'that SA; anyone on the path can still read the topology and the prefixes. Encrypt the tunnel, and enable ' +
      "the protocol's own authentication so that it does not rest on the SA alone.",
  },
  'routing-weak-auth': {
    severity: 'medium',
    title: 'Routing protocol authenticated by a password sent in clear',
    advice:
      'Simple-password authentication puts the password in every packet: ' +
      'use cryptographic (MD5 or HMAC-SHA) authentication.',
  },
  'cleartext-credentials': {
    severity: 'high',
    title: 'Credentials crossed the tunnel readable',
    advice:
      'Treat the credential as exposed and change it; move the service to ' +
      'an encrypted protocol (SSH, HTTPS, SNMPv3) and encrypt the tunnel.',
  },
  'cleartext-management': {
    severity: 'medium',
    title: 'Cleartext management protocol inside a readable tunnel',
    advice:
      'Telnet, FTP, HTTP and SNMPv1/v2c are readable end to end here: use ' +
      'SSH, SFTP, HTTPS or SNMPv3, and encrypt the tunnel.',
  },
  'esp-null': {
    severity: 'high',
    title: 'IPsec with NULL encryption: payload signed but readable',
    advice:
      'ESP with NULL encryption only authenticates: configure an encryption ' +
      'transform (AES-GCM or AES-CBC with HMAC-SHA-256).',
  },
  'ah-only': {
    severity: 'medium',
    title: 'IPsec AH only: integrity without confidentiality',
    advice: 'AH signs but does not encrypt: use ESP with an encryption transform.',
  },
  pptp: {
    severity: 'high',
    title: 'PPTP: a broken, deprecated VPN protocol',
    advice:
      'MS-CHAPv2 falls to an offline attack that recovers the password ' +
      'hash, and with it the MPPE keys: replace PPTP with IPsec/IKEv2, ' +
      'OpenVPN or WireGuard.',
  },
  'gre-sequence-gaps': {
    severity: 'medium',
    title: 'GRE sequence numbers skipped: packets lost on the path',
    advice:
      'Packets between the tunnel endpoints were lost (or captured ' +
      'incompletely): check the path for drops and the capture for losses.',
  },
  'gre-sequence-disorder': {
    severity: 'low',
    title: 'GRE packets reordered or duplicated',
    advice:
      'A receiver enforcing RFC 2890 sequencing drops out-of-order packets: check for load balancing across paths.',
  },
  'gre-sequence-constant': {
    severity: 'low',
    title: 'GRE sequence numbers that never advance',
    advice:
      'The sender sets the sequence bit but puts the same number in every packet: a receiver enforcing RFC 2890 ' +
      'sequencing keeps only the first. Fix the sender, or turn sequencing off on both ends.',
  },
  'gre-checksum-errors': {
    severity: 'medium',
    title: 'GRE checksum errors',
    advice:
      'Packets were corrupted on the path or by the sender: check interfaces for errors and NIC offload settings.',
  },
  'outer-fragmentation': {
    severity: 'medium',
    title: 'Tunnel packets fragmented in the outer IP header',
    advice:
      'Fragmented tunnel traffic costs throughput and is dropped by some ' +
      'firewalls: lower the tunnel MTU and clamp the TCP MSS inside the tunnel.',
    adviceByRole: {
      mirror:
        'Mirrored frames plus the ERSPAN header exceed the path MTU: raise ' +
        'the MTU on the path to the collector, or truncate mirrored frames at ' +
        'the source (ERSPAN mtu).',
    },
  },
  'path-mtu-exceeded': {
    severity: 'medium',
    title: 'The path asked for smaller tunnel packets (ICMP fragmentation needed)',
    advice:
      'The tunnel MTU is larger than the path allows: set it to the ' +
      'reported MTU minus the tunnel overhead, and clamp the TCP MSS.',
  },
  'mss-too-large': {
    severity: 'medium',
    title: 'Inner TCP MSS too large for the tunnel',
    advice:
      'Full-size TCP segments will not fit through the tunnel in one ' +
      'packet: clamp the MSS on the tunnel interface (ip tcp adjust-mss).',
  },
  'ospf-mismatch': {
    severity: 'high',
    title: 'OSPF parameters differ across the tunnel: no adjacency',
    advice:
      'OSPF routers only become neighbours when area, hello and dead ' +
      'intervals (and on broadcast links the mask) and authentication type ' +
      'match: make them agree.',
  },
  'ospf-mtu-mismatch': {
    severity: 'high',
    title: 'OSPF interface MTUs differ across the tunnel: adjacency stuck in ExStart',
    advice:
      'A router drops Database Description packets that announce a larger interface MTU than its own (RFC 2328 ' +
      '10.6), so the two routers never exchange their databases: give both tunnel interfaces the same IP MTU ' +
      '(ip mtu). ip ospf mtu-ignore lets the adjacency form but leaves the larger packets to be fragmented or lost.',
  },
  'recursive-routing': {
    severity: 'medium',
    title: "A route to the tunnel's own endpoint is announced through the tunnel",
    advice:
      "A router that takes this route for the tunnel's far end sends the tunnel's packets into the tunnel itself: " +
      'the tunnel flaps or is shut (Cisco IOS: %TUN-5-RECURDOWN, recursive routing). Keep the underlay (WAN) ' +
      'prefixes out of the routing protocol that runs over the tunnel (a distribute-list, a prefix-list, the WAN ' +
      "interface out of OSPF's networks), or give each endpoint a better route in the underlay (a static /32).",
  },
  'malformed-gre': {
    severity: 'medium',
    title: 'Malformed tunnel packets',
    advice:
      'Some tunnel packets could not be read: look at them with gredump -r --json (warnings) to see what is wrong.',
  },
  'esp-not-decrypted': {
    severity: 'medium',
    title: 'ESP packets matched a key but did not decrypt',
    advice:
      'The key, the algorithms or the SPI in the key file do not fit this ' +
      'SA (rekeyed since?), or the packets were corrupted: check the SA ' +
      'against ip xfrm state or the IKE daemon.',
  },
  'esp-sequence-gaps': {
    severity: 'low',
    title: 'ESP sequence numbers skipped',
    advice: 'ESP packets were lost on the path (or in the capture).',
  },
  'ipsec-group-sa': {
    severity: 'info',
    title: 'IPsec group SA: sequence numbers counted per sender',
    advice:
      'Group SAs (GDOI/GETVPN) and manually keyed SAs (as RFC 4552 uses for ' +
      'OSPFv3) are shared by several senders, each counting on its own across ' +
      'all its receivers: sequence numbers were checked per sender and receiver; ' +
      'gaps there, or repeats between senders, are neither loss nor replay.',
  },
  'ospfv3-ipsec-auth': {
    severity: 'info',
    title: 'OSPFv3 authenticated by IPsec (RFC 4552)',
    advice:
      "AH or ESP with NULL encryption is OSPFv3's standard authentication: " +
      "the routers' packets are signed and stay readable, as OSPFv2's are. " +
      'The keys are manual and shared by every router on the link: rotate ' +
      "them, or move to OSPFv3's authentication trailer (RFC 7166) where the " +
      'routers support it.',
  },
  'esp-replay': {
    severity: 'medium',
    title: 'ESP sequence numbers repeated or out of order',
    advice:
      'Repeated ESP sequence numbers are what a replay looks like; ' +
      'receivers with anti-replay drop them. Check for duplicated traffic or ' +
      'an attack.',
  },
  'dmvpn-cleartext': {
    severity: 'high',
    title: 'DMVPN cloud runs GRE without IPsec',
    advice:
      'Every packet of the cloud, NHRP included, crosses the network ' +
      'readable and forgeable: protect the multipoint GRE interface of the ' +
      'hub and of every spoke with `tunnel protection ipsec profile NAME`.',
  },
  'nhrp-registration-refused': {
    severity: 'high',
    title: 'NHRP registration refused by the hub',
    advice:
      'The hub keeps no mapping for the spoke, so nothing reaches it ' +
      'through the cloud: for code 14 (already registered) clear the stale ' +
      'entry on the hub (`clear ip nhrp`) or use `ip nhrp registration ' +
      'no-unique` on spokes whose NBMA address changes (DHCP, NAT); for ' +
      "other codes check the hub's NHRP network-id, authentication and resources.",
  },
  'nhrp-registration-unanswered': {
    severity: 'high',
    title: 'NHRP registration requests unanswered',
    advice:
      'Until the hub answers, the spoke is not registered: check that `ip ' +
      "nhrp nhs` names the hub's tunnel address, that GRE (and IPsec) reach " +
      "the hub's NBMA address, and that tunnel key, network-id and NHRP " +
      'authentication agree.',
  },
  'nhrp-resolution-unanswered': {
    severity: 'medium',
    title: 'NHRP resolution requests unanswered',
    advice:
      'Without an answer the spoke keeps sending through the hub: check ' +
      'that the target is registered, that the hubs forward resolution ' +
      'requests to each other (same network-id), and that the target can ' +
      "reach the requester's NBMA address.",
  },
  'nhrp-error-indication': {
    severity: 'medium',
    title: 'NHRP Error Indication',
    advice:
      'An NHRP node rejected a packet, for the reason its code gives: ' +
      'authentication failure means the `ip nhrp authentication` strings ' +
      'differ; protocol address unreachable, that no registration or route ' +
      'covers the address; loop detected and hop count exceeded, a ' +
      'forwarding loop between NHSs.',
  },
  'nhrp-no-authentication': {
    severity: 'medium',
    title: 'NHRP without authentication in a cleartext cloud',
    advice:
      'Anyone who can send GRE to the hub can register or redirect tunnel ' +
      'addresses: protect the cloud with IPsec (`tunnel protection ipsec ' +
      "profile`); NHRP's own `ip nhrp authentication` is a password in clear " +
      'that only keeps clouds apart.',
  },
  'dmvpn-nat-without-natt': {
    severity: 'medium',
    title: 'DMVPN spoke behind NAT without NAT traversal',
    advice:
      'GRE straight through NAT cannot be protected and breaks ' +
      'spoke-to-spoke shortcuts to the spoke (its NHRP address is the inside ' +
      'one): protect the tunnel with IPsec, whose NAT traversal carries it ' +
      'in UDP 4500, so that the hub learns and hands out the outside address.',
  },
  'dmvpn-via-hub': {
    severity: 'low',
    title: 'Spoke-to-spoke traffic through the hub, no shortcut',
    advice:
      'Traffic between spokes takes two trips through the hub: enable Phase ' +
      '3 (`ip nhrp redirect` on the hub, `ip nhrp shortcut` on the spokes), ' +
      'or find why resolution or the spoke-to-spoke tunnel (IPsec between ' +
      'the spokes, NAT) failed.',
  },
  'ike-aggressive-psk': {
    severity: 'high',
    title: 'IKEv1 aggressive mode with a pre-shared key: the key can be cracked offline',
    advice:
      "The responder's HASH in aggressive mode is computed from the " +
      'pre-shared key and crosses in clear: anyone who captured it can guess ' +
      'the key offline (ike-scan, psk-crack). Use main mode or IKEv2, ' +
      'certificates or long random keys, and change this key.',
  },
  'ike-weak-group': {
    severity: 'medium',
    title: 'IKE chose a weak Diffie-Hellman group',
    advice:
      'Groups 1, 2 and 5 (MODP below 2048 bits) and 22 to 24 (small ' +
      'subgroups) are no longer considered safe (RFC 8247): use group 14 or ' +
      'higher, 19/20/21, or 31 (Curve25519).',
  },
  'ike-weak-cipher': {
    severity: 'medium',
    title: 'IKE or its child SA chose a weak algorithm',
    advice:
      'DES and 3DES (64-bit blocks), MD5 and SHA-1 (as integrity or PRF) ' +
      'are deprecated by RFC 8247 and RFC 8221: use AES-GCM, or AES-CBC with ' +
      'HMAC-SHA-256 or better.',
  },
  ikev1: {
    severity: 'low',
    title: 'IKEv1: a deprecated key exchange',
    advice: 'IKEv1 is deprecated (RFC 9395): move the peers to IKEv2.',
  },
  'ike-failed': {
    severity: 'medium',
    title: 'An IKE negotiation failed',
    advice:
      'The peer named why in its notify: make proposals, DH groups, ' +
      'identities, keys or traffic selectors agree on both sides (the ' +
      "audit's IKE story shows what each side offered).",
  },
  'ike-no-child-sa': {
    severity: 'medium',
    title: 'IKE SA up but its child SA was refused: no traffic is protected',
    advice:
      'The peers authenticated but could not agree on the IPsec SA: check ' +
      'the ESP proposals, traffic selectors, mode (transport or tunnel) and ' +
      'that the kernel can install the SA.',
  },
  'ike-reflection': {
    severity: 'medium',
    title: 'IKE answers to requests forged with this address (reflection)',
    advice:
      'Someone sends IKE requests with this address as their source to hosts ' +
      'that answer anyone, so that their larger answers flood it (an ' +
      'amplification attack; those hosts are reflectors, not its peers). ' +
      'Filter or rate-limit UDP 500 and 4500 towards it from hosts it has no ' +
      'VPN with, upstream if the flood fills its link.',
  },
} as const satisfies Record<string, FindingKind>;

export type FindingId = keyof typeof CATALOGUE;

export interface Finding {
  id: FindingId;
  severity: Severity;
  message: string;
  advice: string;
  /** The tunnel or ESP peers it is about, as in the report. */
  subject?: string;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
