#!/usr/bin/python3
"""The SAs of fixtures/esp-scapy.esp_sa as kernel xfrm states, plus states
gredump cannot use, written two ways: fixtures/esp-scapy.xfrm-add (one
`ip xfrm state add` argument list a line, what test/xfrm.test.ts runs in a
network namespace it makes) and, with --text, the `ip xfrm state` text
(iproute2 6.x layout, ip/ipxfrm.c) for kernels without ESP, where the test
cannot make them: fixtures/esp-scapy.xfrm."""
import csv, sys

MODES = {0x1001: 'transport', 0x1002: 'transport', 0x2001: 'tunnel', 0x3001: 'transport', 0x4001: 'transport',
         0x5001: 'tunnel', 0x5002: 'transport', 0x5003: 'tunnel', 0x6001: 'tunnel', 0x7001: 'transport', 0x8001: 'transport'}
NATT = {0x3001, 0x5003, 0x6001}
ENC = {'AES-CBC [RFC3602]': 'cbc(aes)', 'AES-CTR [RFC3686]': 'rfc3686(ctr(aes))', 'TripleDES-CBC [RFC2451]': 'cbc(des3_ede)', 'NULL': 'ecb(cipher_null)'}
AUTH = {'HMAC-SHA-1-96 [RFC2404]': ('hmac(sha1)', 96), 'HMAC-SHA-256-128 [RFC4868]': ('hmac(sha256)', 128),
        'HMAC-SHA-384-192 [RFC4868]': ('hmac(sha384)', 192), 'HMAC-SHA-512-256 [RFC4868]': ('hmac(sha512)', 256),
        'HMAC-MD5-96 [RFC2403]': ('hmac(md5)', 96)}
GCM = {'AES-GCM with 16 octet ICV [RFC4106]': 128, 'AES-GCM with 8 octet ICV [RFC4106]': 64, 'AES-GCM with 12 octet ICV [RFC4106]': 96}

states = []  # (src, dst, spi, proto, mode, [(kind, name, key, bits)], natt)
for row in csv.reader(l for l in open('fixtures/esp-scapy.esp_sa') if not l.startswith('#')):
    fam, src, dst, spi, enc, ekey, auth, akey = row
    spi = int(spi, 16)
    algs = []
    if enc in GCM:
        algs.append(('aead', 'rfc4106(gcm(aes))', ekey, GCM[enc]))
    else:
        if auth in AUTH:
            algs.append(('auth-trunc', AUTH[auth][0], akey, AUTH[auth][1]))
        algs.append(('enc', ENC[enc], ekey if enc != 'NULL' else '0x', None))
    states.append((src, dst, spi, 'esp', MODES[spi], algs, spi in NATT))
# States gredump cannot use, each for its own reason.
K16 = '0x' + ''.join('%02x' % i for i in range(16))
K20 = '0x' + ''.join('%02x' % i for i in range(20))
states.append(('192.0.2.20', '198.51.100.20', 0x9001, 'esp', 'tunnel', [('aead', 'rfc4543(gcm(aes))', K20, 128)], False))
states.append(('192.0.2.21', '198.51.100.21', 0x9002, 'esp', 'tunnel', [('auth-trunc', 'xcbc(aes)', K16, 96), ('enc', 'cbc(aes)', K16, None)], False))
states.append(('192.0.2.22', '198.51.100.22', 0x9003, 'ah', 'transport', [('auth-trunc', 'hmac(sha256)', K16 + K16[2:], 128)], False))

def add_args(s):
    src, dst, spi, proto, mode, algs, natt = s
    a = ['src', src, 'dst', dst, 'proto', proto, 'spi', '0x%08x' % spi, 'reqid', str(spi & 0xff), 'mode', mode]
    for kind, name, key, bits in algs:
        a += [kind, name, key] + ([str(bits)] if bits is not None else [])
    if natt:
        a += ['encap', 'espinudp', '4500', '4500', '0.0.0.0']
    return ' '.join(a)

def text(s):
    src, dst, spi, proto, mode, algs, natt = s
    out = ['src %s dst %s' % (src, dst), '\tproto %s spi 0x%08x reqid %d mode %s' % (proto, spi, spi & 0xff, mode), '\treplay-window 0 ']
    order = {'auth-trunc': 0, 'aead': 1, 'enc': 2}
    for kind, name, key, bits in sorted(algs, key=lambda a: order[a[0]]):
        out.append('\t%s %s %s%s' % (kind, name, key, ' %d' % bits if bits is not None else ''))
    if natt:
        out.append('\tencap type espinudp sport 4500 dport 4500 addr 0.0.0.0')
    out.append('\tanti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000')
    out.append('\tsel src 0.0.0.0/0 dst 0.0.0.0/0 ')
    return '\n'.join(out)

if '--text' in sys.argv:
    # The kernel lists the newest state first.
    print('\n'.join(text(s) for s in reversed(states)))
else:
    print('\n'.join(add_args(s) for s in states))
