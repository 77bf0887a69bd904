/**
 * IKE's numbers and their names (IANA "Internet Key Exchange Version 2
 * (IKEv2) Parameters" and "ISAKMP/IKEv1" registries), spelled as Wireshark
 * shows them where an engineer compares the two.
 */

export const EXCHANGES_V1: Record<number, string> = {
  0: 'NONE', 1: 'Base', 2: 'Identity Protection (Main Mode)', 3: 'Authentication Only', 4: 'Aggressive', 5: 'Informational',
  6: 'Transaction (Config Mode)', 32: 'Quick Mode', 33: 'New Group Mode',
};
export const EXCHANGES_V2: Record<number, string> = {
  34: 'IKE_SA_INIT', 35: 'IKE_AUTH', 36: 'CREATE_CHILD_SA', 37: 'INFORMATIONAL', 38: 'IKE_SESSION_RESUME', 43: 'IKE_INTERMEDIATE', 44: 'IKE_FOLLOWUP_KE',
};
/** Short names for text lines. */
export const EXCHANGES_SHORT_V1: Record<number, string> = { 2: 'Main', 4: 'Aggressive', 5: 'Informational', 6: 'Transaction', 32: 'Quick', 33: 'NewGroup', 1: 'Base', 3: 'AuthOnly' };

export const PAYLOADS: Record<number, string> = {
  0: 'NONE / No Next Payload ', 1: 'Security Association', 2: 'Proposal', 3: 'Transform', 4: 'Key Exchange', 5: 'Identification',
  6: 'Certificate', 7: 'Certificate Request', 8: 'Hash', 9: 'Signature', 10: 'Nonce', 11: 'Notification', 12: 'Delete',
  13: 'Vendor ID', 14: 'Attributes (Transaction)', 15: 'SA KEK Payload', 16: 'SA TEK Payload', 17: 'Key Download',
  18: 'Sequence Number', 19: 'Proof of Possession', 20: 'NAT-D (RFC 3947)', 21: 'NAT-OA (RFC 3947)', 130: 'NAT-D (draft-ietf-ipsec-nat-t-ike-01 to 03)',
  131: 'NAT-OA (draft-ietf-ipsec-nat-t-ike-01 to 04)', 132: 'Fragment',
  33: 'Security Association', 34: 'Key Exchange', 35: 'Identification - Initiator', 36: 'Identification - Responder',
  37: 'Certificate', 38: 'Certificate Request', 39: 'Authentication', 40: 'Nonce', 41: 'Notify', 42: 'Delete',
  43: 'Vendor ID', 44: 'Traffic Selector - Initiator', 45: 'Traffic Selector - Responder', 46: 'Encrypted and Authenticated',
  47: 'Configuration', 48: 'Extensible Authentication', 49: 'Generic Secure Password Method', 50: 'Group Identification',
  51: 'Group Security Association', 52: 'Key Download', 53: 'Encrypted and Authenticated Fragment', 54: 'Puzzle Solution',
};

export const PROTOCOLS_V1: Record<number, string> = { 1: 'ISAKMP', 2: 'IPSEC_AH', 3: 'IPSEC_ESP', 4: 'IPCOMP', 5: 'GIGABEAM_RADIO' };
export const PROTOCOLS_V2: Record<number, string> = { 1: 'IKE', 2: 'AH', 3: 'ESP', 4: 'FC_ESP_HEADER', 5: 'FC_CT_AUTHENTICATION' };

/** IKEv1 notify types (RFC 2408 3.14.1, RFC 3706 DPD). */
export const NOTIFY_V1: Record<number, string> = {
  1: 'INVALID-PAYLOAD-TYPE', 2: 'DOI-NOT-SUPPORTED', 3: 'SITUATION-NOT-SUPPORTED', 4: 'INVALID-COOKIE', 5: 'INVALID-MAJOR-VERSION',
  6: 'INVALID-MINOR-VERSION', 7: 'INVALID-EXCHANGE-TYPE', 8: 'INVALID-FLAGS', 9: 'INVALID-MESSAGE-ID', 10: 'INVALID-PROTOCOL-ID',
  11: 'INVALID-SPI', 12: 'INVALID-TRANSFORM-ID', 13: 'ATTRIBUTES-NOT-SUPPORTED', 14: 'NO-PROPOSAL-CHOSEN', 15: 'BAD-PROPOSAL-SYNTAX',
  16: 'PAYLOAD-MALFORMED', 17: 'INVALID-KEY-INFORMATION', 18: 'INVALID-ID-INFORMATION', 19: 'INVALID-CERT-ENCODING',
  20: 'INVALID-CERTIFICATE', 21: 'CERT-TYPE-UNSUPPORTED', 22: 'INVALID-CERT-AUTHORITY', 23: 'INVALID-HASH-INFORMATION',
  24: 'AUTHENTICATION-FAILED', 25: 'INVALID-SIGNATURE', 26: 'ADDRESS-NOTIFICATION', 27: 'NOTIFY-SA-LIFETIME',
  28: 'CERTIFICATE-UNAVAILABLE', 29: 'UNSUPPORTED-EXCHANGE-TYPE', 30: 'UNEQUAL-PAYLOAD-LENGTHS',
  16384: 'CONNECTED', 24576: 'RESPONDER-LIFETIME', 24577: 'REPLAY-STATUS', 24578: 'INITIAL-CONTACT',
  36136: 'R-U-THERE', 36137: 'R-U-THERE-ACK',
};

/** IKEv2 notify types (RFC 7296 3.10.1 and later RFCs). Below 16384: errors. */
export const NOTIFY_V2: Record<number, string> = {
  1: 'UNSUPPORTED_CRITICAL_PAYLOAD', 4: 'INVALID_IKE_SPI', 5: 'INVALID_MAJOR_VERSION', 7: 'INVALID_SYNTAX', 9: 'INVALID_MESSAGE_ID',
  11: 'INVALID_SPI', 14: 'NO_PROPOSAL_CHOSEN', 17: 'INVALID_KE_PAYLOAD', 24: 'AUTHENTICATION_FAILED', 34: 'SINGLE_PAIR_REQUIRED',
  35: 'NO_ADDITIONAL_SAS', 36: 'INTERNAL_ADDRESS_FAILURE', 37: 'FAILED_CP_REQUIRED', 38: 'TS_UNACCEPTABLE', 39: 'INVALID_SELECTORS',
  40: 'UNACCEPTABLE_ADDRESSES', 41: 'UNEXPECTED_NAT_DETECTED', 42: 'USE_ASSIGNED_HoA', 43: 'TEMPORARY_FAILURE', 44: 'CHILD_SA_NOT_FOUND',
  45: 'INVALID_GROUP_ID', 46: 'AUTHORIZATION_FAILED', 47: 'STATE_NOT_FOUND',
  16384: 'INITIAL_CONTACT', 16385: 'SET_WINDOW_SIZE', 16386: 'ADDITIONAL_TS_POSSIBLE', 16387: 'IPCOMP_SUPPORTED',
  16388: 'NAT_DETECTION_SOURCE_IP', 16389: 'NAT_DETECTION_DESTINATION_IP', 16390: 'COOKIE', 16391: 'USE_TRANSPORT_MODE',
  16392: 'HTTP_CERT_LOOKUP_SUPPORTED', 16393: 'REKEY_SA', 16394: 'ESP_TFC_PADDING_NOT_SUPPORTED', 16395: 'NON_FIRST_FRAGMENTS_ALSO',
  16396: 'MOBIKE_SUPPORTED', 16397: 'ADDITIONAL_IP4_ADDRESS', 16398: 'ADDITIONAL_IP6_ADDRESS', 16399: 'NO_ADDITIONAL_ADDRESSES',
  16400: 'UPDATE_SA_ADDRESSES', 16401: 'COOKIE2', 16402: 'NO_NATS_ALLOWED', 16403: 'AUTH_LIFETIME', 16404: 'MULTIPLE_AUTH_SUPPORTED',
  16405: 'ANOTHER_AUTH_FOLLOWS', 16406: 'REDIRECT_SUPPORTED', 16407: 'REDIRECT', 16408: 'REDIRECTED_FROM',
  16409: 'TICKET_LT_OPAQUE', 16410: 'TICKET_REQUEST', 16411: 'TICKET_ACK', 16412: 'TICKET_NACK', 16413: 'TICKET_OPAQUE',
  16414: 'LINK_ID', 16415: 'USE_WESP_MODE', 16416: 'ROHC_SUPPORTED', 16417: 'EAP_ONLY_AUTHENTICATION', 16418: 'CHILDLESS_IKEV2_SUPPORTED', 16419: 'QUICK_CRASH_DETECTION',
  16420: 'IKEV2_MESSAGE_ID_SYNC_SUPPORTED', 16421: 'IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED', 16422: 'IKEV2_MESSAGE_ID_SYNC',
  16423: 'IPSEC_REPLAY_COUNTER_SYNC', 16424: 'SECURE_PASSWORD_METHODS', 16425: 'PSK_PERSIST', 16426: 'PSK_CONFIRM',
  16427: 'ERX_SUPPORTED', 16428: 'IFOM_CAPABILITY', 16429: 'SENDER_REQUEST_ID',
  16430: 'IKEV2_FRAGMENTATION_SUPPORTED', 16431: 'SIGNATURE_HASH_ALGORITHMS', 16432: 'CLONE_IKE_SA_SUPPORTED', 16433: 'CLONE_IKE_SA',
  16435: 'USE_PPK', 16436: 'PPK_IDENTITY', 16437: 'NO_PPK_AUTH', 16438: 'INTERMEDIATE_EXCHANGE_SUPPORTED',
};

export function notifyName(version: number, type: number): string {
  return (version === 1 ? NOTIFY_V1 : NOTIFY_V2)[type] ?? `notify-${type}`;
}

/** IKEv2 transform types and the IDs of each. */
export const TRANSFORM_TYPES: Record<number, string> = {
  1: 'Encryption Algorithm (ENCR)', 2: 'Pseudo-random Function (PRF)', 3: 'Integrity Algorithm (INTEG)', 4: 'Diffie-Hellman Group (D-H)',
  5: 'Extended Sequence Numbers (ESN)',
};
export const ENCR_V2: Record<number, string> = {
  1: 'ENCR_DES_IV64', 2: 'ENCR_DES', 3: 'ENCR_3DES', 4: 'ENCR_RC5', 5: 'ENCR_IDEA', 6: 'ENCR_CAST', 7: 'ENCR_BLOWFISH', 8: 'ENCR_3IDEA',
  9: 'ENCR_DES_IV32', 11: 'ENCR_NULL', 12: 'ENCR_AES_CBC', 13: 'ENCR_AES_CTR', 14: 'ENCR_AES_CCM_8', 15: 'ENCR_AES_CCM_12',
  16: 'ENCR_AES_CCM_16', 18: 'AES-GCM with a 8 octet ICV', 19: 'AES-GCM with a 12 octet ICV', 20: 'AES-GCM with a 16 octet ICV', 21: 'ENCR_NULL_AUTH_AES_GMAC',
  23: 'ENCR_CAMELLIA_CBC', 24: 'ENCR_CAMELLIA_CTR', 25: 'ENCR_CAMELLIA_CCM_8', 26: 'ENCR_CAMELLIA_CCM_12', 27: 'ENCR_CAMELLIA_CCM_16',
  28: 'ENCR_CHACHA20_POLY1305',
};
/** Short cipher names for text lines: `AES_GCM_16`, `AES_CBC`. */
export const ENCR_SHORT: Record<number, string> = Object.fromEntries(Object.entries(ENCR_V2).map(([k, v]) => [k, v.replace(/^ENCR_/, '').replace(/^AES-GCM with a (\d+) octet ICV$/, 'AES_GCM_$1')]));

export const PRF_V2: Record<number, string> = {
  1: 'PRF_HMAC_MD5', 2: 'PRF_HMAC_SHA1', 3: 'PRF_HMAC_TIGER', 4: 'PRF_AES128_CBC', 5: 'PRF_HMAC_SHA2_256', 6: 'PRF_HMAC_SHA2_384',
  7: 'PRF_HMAC_SHA2_512', 8: 'PRF_AES128_CMAC',
};
export const INTEG_V2: Record<number, string> = {
  0: 'NONE', 1: 'AUTH_HMAC_MD5_96', 2: 'AUTH_HMAC_SHA1_96', 3: 'AUTH_DES_MAC', 4: 'AUTH_KPDK_MD5', 5: 'AUTH_AES_XCBC_96',
  6: 'AUTH_HMAC_MD5_128', 7: 'AUTH_HMAC_SHA1_160', 8: 'AUTH_AES_CMAC_96', 9: 'AUTH_AES_128_GMAC', 10: 'AUTH_AES_192_GMAC',
  11: 'AUTH_AES_256_GMAC', 12: 'AUTH_HMAC_SHA2_256_128', 13: 'AUTH_HMAC_SHA2_384_192', 14: 'AUTH_HMAC_SHA2_512_256',
};
/** Diffie-Hellman groups, IKEv1 and IKEv2 alike. */
export const DH_GROUPS: Record<number, string> = {
  0: 'NONE', 1: 'Default 768-bit MODP group', 2: 'Alternate 1024-bit MODP group', 3: 'EC2N group on GP[2^155]', 4: 'EC2N group on GP[2^185]',
  5: '1536 bit MODP group', 14: '2048 bit MODP group', 15: '3072 bit MODP group', 16: '4096 bit MODP group', 17: '6144 bit MODP group',
  18: '8192 bit MODP group', 19: '256-bit random ECP group', 20: '384-bit random ECP group', 21: '521-bit random ECP group',
  22: '1024-bit MODP Group with 160-bit Prime Order Subgroup', 23: '2048-bit MODP Group with 224-bit Prime Order Subgroup',
  24: '2048-bit MODP Group with 256-bit Prime Order Subgroup', 25: '192-bit Random ECP Group', 26: '224-bit Random ECP Group',
  27: '224-bit Brainpool ECP group', 28: '256-bit Brainpool ECP group', 29: '384-bit Brainpool ECP group', 30: '512-bit Brainpool ECP group',
  31: 'Curve25519', 32: 'Curve448',
};
/** Short group names for text lines and the audit. */
export const DH_SHORT: Record<number, string> = {
  1: 'modp768', 2: 'modp1024', 5: 'modp1536', 14: 'modp2048', 15: 'modp3072', 16: 'modp4096', 17: 'modp6144', 18: 'modp8192',
  19: 'ecp256', 20: 'ecp384', 21: 'ecp521', 22: 'modp1024s160', 23: 'modp2048s224', 24: 'modp2048s256', 25: 'ecp192', 26: 'ecp224',
  27: 'ecp224bp', 28: 'ecp256bp', 29: 'ecp384bp', 30: 'ecp512bp', 31: 'curve25519', 32: 'curve448',
};
export const ESN_V2: Record<number, string> = { 0: 'No Extended Sequence Numbers', 1: 'Extended Sequence Numbers' };

/** IKEv1 phase 1 attribute types (RFC 2409 Appendix A) and their values. */
export const IKE_ATTR_TYPES: Record<number, string> = {
  1: 'Encryption-Algorithm', 2: 'Hash-Algorithm', 3: 'Authentication-Method', 4: 'Group-Description', 5: 'Group-Type', 6: 'Group-Prime',
  7: 'Group-Generator-One', 8: 'Group-Generator-Two', 9: 'Group-Curve-A', 10: 'Group-Curve-B', 11: 'Life-Type', 12: 'Life-Duration',
  13: 'PRF', 14: 'Key-Length', 15: 'Field-Size', 16: 'Group-Order',
};
export const IKE_ENCR_V1: Record<number, string> = {
  1: 'DES-CBC', 2: 'IDEA-CBC', 3: 'Blowfish-CBC', 4: 'RC5-R16-B64-CBC', 5: '3DES-CBC', 6: 'CAST-CBC', 7: 'AES-CBC', 8: 'CAMELLIA-CBC',
};
export const IKE_HASH_V1: Record<number, string> = { 1: 'MD5', 2: 'SHA', 3: 'Tiger', 4: 'SHA2-256', 5: 'SHA2-384', 6: 'SHA2-512' };
export const IKE_AUTH_V1: Record<number, string> = {
  1: 'Pre-shared key', 2: 'DSS signatures', 3: 'RSA signatures', 4: 'Encryption with RSA', 5: 'Revised encryption with RSA',
  9: 'ECDSA with SHA-256 on the P-256 curve', 10: 'ECDSA with SHA-384 on the P-384 curve', 11: 'ECDSA with SHA-512 on the P-521 curve',
  64221: 'HybridInitRSA', 64222: 'HybridRespRSA', 64223: 'HybridInitDSS', 64224: 'HybridRespDSS',
  65001: 'XAUTHInitPreShared', 65002: 'XAUTHRespPreShared', 65003: 'XAUTHInitDSS', 65004: 'XAUTHRespDSS',
  65005: 'XAUTHInitRSA', 65006: 'XAUTHRespRSA', 65007: 'XAUTHInitRSAEncryption', 65008: 'XAUTHRespRSAEncryption',
  65009: 'XAUTHInitRSARevisedEncryption', 65010: 'XAUTHRespRSARevisedEncryption',
};
/** Pre-shared key methods: plain, and XAUTH on top of a group key. */
export const PSK_METHODS = new Set([1, 65001, 65002]);
export const LIFE_TYPES: Record<number, string> = { 1: 'Seconds', 2: 'Kilobytes' };

/** IKEv1 phase 2 (IPsec DOI, RFC 2407 4.5) attribute types and values. */
export const IPSEC_ATTR_TYPES: Record<number, string> = {
  1: 'SA-Life-Type', 2: 'SA-Life-Duration', 3: 'Group-Description', 4: 'Encapsulation-Mode', 5: 'Authentication-Algorithm',
  6: 'Key-Length', 7: 'Key-Rounds', 8: 'Compress-Dictionary-Size', 9: 'Compress-Private-Algorithm', 10: 'ECN Tunnel',
  11: 'Extended (64-bit) Sequence Number', 12: 'Authentication Key Length', 13: 'Signature Encoding Algorithm',
  14: 'Address Preservation', 15: 'SA Direction',
};
export const ENCAP_MODES: Record<number, string> = {
  1: 'Tunnel', 2: 'Transport', 3: 'UDP-Encapsulated-Tunnel', 4: 'UDP-Encapsulated-Transport',
  61443: 'UDP-Encapsulated-Tunnel (draft)', 61444: 'UDP-Encapsulated-Transport (draft)',
};
export const IPSEC_AUTH_V1: Record<number, string> = {
  1: 'HMAC-MD5', 2: 'HMAC-SHA', 3: 'DES-MAC', 4: 'KPDK', 5: 'HMAC-SHA2-256', 6: 'HMAC-SHA2-384', 7: 'HMAC-SHA2-512',
  8: 'HMAC-RIPEMD', 9: 'AES-XCBC-MAC', 10: 'SIG-RSA', 11: 'AES-128-GMAC', 12: 'AES-192-GMAC', 13: 'AES-256-GMAC',
};
/** IKEv1 transform IDs of ESP (RFC 2407 4.4.4) and AH (4.4.3). */
export const ESP_TRANSFORMS_V1: Record<number, string> = {
  1: 'DES-IV64', 2: 'DES', 3: '3DES', 4: 'RC5', 5: 'IDEA', 6: 'CAST', 7: 'BLOWFISH', 8: '3IDEA', 9: 'DES-IV32', 10: 'RC4', 11: 'NULL',
  12: 'AES', 13: 'AES-CTR', 14: 'AES-CCM_8', 15: 'AES-CCM_12', 16: 'AES-CCM_16', 18: 'AES-GCM_8', 19: 'AES-GCM_12', 20: 'AES-GCM_16',
  21: 'NULL_AUTH_AES_GMAC', 22: 'CAMELLIA',
};
export const AH_TRANSFORMS_V1: Record<number, string> = { 2: 'MD5', 3: 'SHA', 4: 'DES', 5: 'SHA2-256', 6: 'SHA2-384', 7: 'SHA2-512' };

/** IKEv2 authentication methods (RFC 7296 3.8, RFC 7427). */
export const AUTH_V2: Record<number, string> = {
  1: 'RSA Digital Signature', 2: 'Shared Key Message Integrity Code', 3: 'DSS Digital Signature',
  9: 'ECDSA with SHA-256 on the P-256 curve', 10: 'ECDSA with SHA-384 on the P-384 curve', 11: 'ECDSA with SHA-512 on the P-521 curve',
  12: 'Generic Secure Password Authentication Method', 13: 'NULL Authentication', 14: 'Digital Signature',
};
export const ID_TYPES: Record<number, string> = {
  1: 'IPV4_ADDR', 2: 'FQDN', 3: 'USER_FQDN', 4: 'IPV4_ADDR_SUBNET', 5: 'IPV6_ADDR', 6: 'IPV6_ADDR_SUBNET', 7: 'IPV4_ADDR_RANGE',
  8: 'IPV6_ADDR_RANGE', 9: 'DER_ASN1_DN', 10: 'DER_ASN1_GN', 11: 'KEY_ID', 12: 'LIST',
};
export const TS_TYPES: Record<number, string> = { 7: 'TS_IPV4_ADDR_RANGE', 8: 'TS_IPV6_ADDR_RANGE', 9: 'TS_FC_ADDR_RANGE' };

/**
 * Well-known vendor IDs (Wireshark's strings), matched on their first bytes
 * as Wireshark does: several carry a version or flags after the known part.
 */
export const VENDOR_IDS: readonly [hex: string, name: string][] = [
  ['afcad71368a1f1c96b8696fc77570100', 'RFC 3706 DPD (Dead Peer Detection)'],
  ['4a131c81070358455c5728f20e95452f', 'RFC 3947 Negotiation of NAT-Traversal in the IKE'],
  ['4485152d18b6bbcd0be8a8469579ddcc', 'draft-ietf-ipsec-nat-t-ike-00'],
  ['16f6ca16e4a4066d83821a0f0aeaa862', 'draft-ietf-ipsec-nat-t-ike-01'],
  ['cd60464335df21f87cfdb2fc68b6a448', 'draft-ietf-ipsec-nat-t-ike-02'],
  ['90cb80913ebb696e086381b5ec427b1f', 'draft-ietf-ipsec-nat-t-ike-02\\n'],
  ['7d9419a65310ca6f2c179d9215529d56', 'draft-ietf-ipsec-nat-t-ike-03'],
  ['439b59f8ba676c4c7737ae22eab8f582', 'draft-ietf-ipsec-nat-t-ike-07'],
  ['882fe56d6fd20dbc2251613b2ebe5beb', 'strongSwan'],
  ['12f5f28c457168a9702d9fe274cc0100', 'CISCO-UNITY'],
  ['09002689dfd6b712', 'XAUTH'],
  ['4048b7d56ebce88525e7de7f00d6c2d3', 'Cisco Fragmentation'],
  ['1e2b516905991c7d7c96fcbfb587e461', 'MS NT5 ISAKMPOAKLEY'],
  ['26244d38eddb61b3172a36e3d0cfb819', 'Microsoft Vid-Initial-Contact'],
  ['fb1de3cdf341b7ea16b7e5be0855f120', 'MS-Negotiation Discovery Capable'],
  ['1f07f70eaa6514d3b0fa96542a500100', 'CISCO-CONCENTRATOR'],
  ['4865617274426561745f4e6f74696679', 'Heartbeat Notify'],
  ['8299031757a36082c6a621de', 'Fortigate (Fortinet)'],
  ['434953434f2d44454c4554452d524541534f4e', 'Cisco Delete Reason Supported'],
  ['434953434f56504e2d5245562d3032', 'Cisco VPN Revision 2'],
  ['434953434f2d44594e414d49432d524f555445', 'Cisco Dynamic Route Supported'],
  ['464c455856504e2d535550504f52544544', 'Cisco FlexVPN Supported'],
];
