#!/bin/sh
# Real IKE exchanges between two strongSwan charons in two network
# namespaces this script makes (veth pair, 198.18.0.0/15 only), captured
# with tcpdump: fixtures/ike-*.pcap. Needs root, strongswan-charon,
# strongswan-swanctl, tcpdump. Each charon runs in its own mount namespace
# (its pid file and sockets in a private /run). Keys are logged at level 4
# (charon's private level) so the IKEv2 key table can be written from them.
set -eu
OUT=${1:-fixtures}
W=$(mktemp -d /tmp/gredump-ike.XXXXXX)
A=gdikeA$$; B=gdikeB$$
cleanup() {
  for ns in $A $B; do
    for p in $(ip netns pids $ns 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  done
  sleep 0.5
  ip netns del $A 2>/dev/null || true
  ip netns del $B 2>/dev/null || true
}
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip link add ga$$ netns $A type veth peer name gb$$ netns $B
ip -n $A addr add 198.18.0.1/24 dev ga$$; ip -n $B addr add 198.18.0.2/24 dev gb$$
for ns in $A $B; do ip -n $ns link set lo up; done
ip -n $A link set ga$$ up; ip -n $B link set gb$$ up
# Addresses behind each peer, for a tunnel-mode child SA whose traffic is not the peers' own (IKE must not enter the tunnel).
ip -n $A addr add 198.18.10.1/32 dev lo; ip -n $B addr add 198.18.20.1/32 dev lo

# conf NAME SIDE(a|b) CONNECTIONS-BODY
conf() {
  d=$W/$1/$2; mkdir -p $d/swanctl
  # LIBIPSEC=1: strongSwan's userspace ESP (kernel-libipsec, a TUN device) for kernels without ESP.
  routes=no; libipsec=''
  if [ -n "${LIBIPSEC:-}" ]; then routes=yes; libipsec='kernel-libipsec { load = yes
      allow_peer_ts = yes }'; fi
  cat > $d/strongswan.conf <<C
charon {
  load_modular = yes
  install_routes = $routes
  # Only so that the aggressive-mode capture can show what the finding is about.
  i_dont_care_about_security_and_use_aggressive_mode_psk = yes
  retransmit_tries = ${RETRIES:-1}
  retransmit_timeout = 1.0
  plugins { include /etc/strongswan.d/charon/*.conf
    vici { socket = unix://$d/vici }
    $libipsec

  }
  filelog { log { path = $d/charon.log
    default = 1
    ike = 4
    chd = 4
    cfg = 2
  } }
}
C
  printf '%s\n' "$3" > $d/swanctl/swanctl.conf
}

# start NAME: both charons, load, return
start() {
  for side in a b; do
    ns=$A; [ $side = b ] && ns=$B
    d=$W/$1/$side
    ip netns exec $ns unshare -m sh -c "mount -t tmpfs none /run && STRONGSWAN_CONF=$d/strongswan.conf exec /usr/lib/ipsec/charon" >/dev/null 2>&1 &
  done
  # Each charon's vici socket, before loading (a loaded machine starts charon slowly): up to 15 s.
  for side in a b; do
    n=0; while [ ! -S $W/$1/$side/vici ] && [ $n -lt 150 ]; do sleep 0.1; n=$((n + 1)); done
  done
  sleep 0.5
  for side in a b; do
    ns=$A; [ $side = b ] && ns=$B
    d=$W/$1/$side
    ip netns exec $ns swanctl --load-all --uri unix://$d/vici --file $d/swanctl/swanctl.conf >/dev/null
  done
}
stop() {
  for ns in $A $B; do
    for p in $(ip netns pids $ns); do kill "$p" 2>/dev/null || true; done
  done
  sleep 1
}

traffic() {
  ip netns exec $A /usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('${FROM:-198.18.0.1}', 0))
for i in range(3):
    s.sendto(b'gredump %d' % i, ('${TO:-198.18.0.2}', 9)); time.sleep(0.2)" || true
}

# scenario NAME INITIATOR-CONN RESPONDER-CONN [ping]
scenario() {
  name=$1
  # ONLY=NAME makes one capture.
  if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ]; then return; fi
  conf $name a "$2"; conf $name b "$3"
  ip netns exec $A tcpdump --immediate-mode -U -s 0 -i ga$$ -w $W/$name.pcap 'udp port 500 or udp port 4500 or esp' >/dev/null 2>&1 &
  sleep 0.5
  start $name
  ip netns exec $A swanctl --initiate --child c --uri unix://$W/$name/a/vici --timeout 6 >/dev/null 2>&1 || true
  # Traffic for the child SA (ping is not everywhere): three UDP datagrams to the discard port.
  if [ "${4:-}" = ping ]; then traffic; fi
  sleep 1
  # IDLE=N: the IKE SA left up N seconds (dead peer detection at DPD_DELAY).
  if [ -n "${IDLE:-}" ]; then sleep "$IDLE"; fi
  # REKEY=1: rekey the child SA (CREATE_CHILD_SA with REKEY_SA), then traffic again on the new SPIs.
  if [ -n "${REKEY:-}" ]; then
    ip netns exec $A swanctl --rekey --child c --uri unix://$W/$name/a/vici >/dev/null 2>&1 || true
    sleep 1
    traffic
    sleep 1
  fi
  ip netns exec $A swanctl --terminate --ike c0 --uri unix://$W/$name/a/vici --timeout 3 >/dev/null 2>&1 || true
  sleep 1
  stop
  cp $W/$name.pcap $OUT/ike-$name.pcap
  cp $W/$name/a/charon.log $W/$name.a.log
  if [ -n "${5:-}" ]; then keytable $name "$5" "$6" > $OUT/ike-$name.ikev2-keys; fi
  if [ -n "${ESP_ENC:-}" ]; then espkeys $name > $OUT/ike-$name.esp_sa; fi
}

# espkeys NAME: Wireshark's esp_sa for the child SA, from the initiator's
# level-4 CHD log (its keys, then "adding inbound/outbound ESP SA" with the
# SPI and addresses): the initiator's keys protect what it sends (outbound).
espkeys() {
  awk -v encname="$ESP_ENC" -v intname="$ESP_INT" '
    /(encryption|integrity) (initiator|responder) key => / { match($0, /(encryption|integrity) (initiator|responder)/); k = substr($0, RSTART, RLENGTH); key[k] = ""; next }
    k != "" && /\]   *[0-9]+: / { sub(/^.*\] +[0-9]+: /, ""); line = substr($0, 1, 48); gsub(/ /, "", line); key[k] = key[k] tolower(line); next }
    { k = "" }
    /adding (inbound|outbound) ESP SA/ { dir = ($0 ~ /inbound/) ? "responder" : "initiator"; next }
    /  SPI 0x[0-9a-f]+, src / && dir != "" {
      spi = $3; sub(/,$/, "", spi); src = $5; dst = $7
      printf "\"IPv4\",\"%s\",\"%s\",\"%s\",\"%s\",\"0x%s\",\"%s\",\"0x%s\"\n", src, dst, spi, encname, key["encryption " dir], intname, key["integrity " dir]
      dir = ""
    }
    BEGIN { print "# Wireshark esp_sa: from charon (level-4 log) for this capture only" }' $W/$1.a.log
}

# keytable NAME ENCR INTEG: Wireshark's ikev2_decryption_table from the
# initiator's level-4 log (Sk_ei/Sk_er/Sk_ai/Sk_ar hex dumps) and the SPIs
# of the IKE_AUTH exchange in the capture.
keytable() {
  spis=$(tshark -n -r $W/$1.pcap -Y 'isakmp.exchangetype == 35' -T fields -E separator=, -e isakmp.ispi -e isakmp.rspi 2>/dev/null | head -1)
  awk -v spis="$spis" -v encr="$2" -v integ="$3" '
    / (Sk_e[ir]|Sk_a[ir]) secret => / { match($0, /Sk_[ea][ir]/); k = substr($0, RSTART, RLENGTH); n = 0; next }
    k != "" && /\]   *[0-9]+: / { sub(/^.*\] +[0-9]+: /, ""); line = substr($0, 1, 48); gsub(/ /, "", line); key[k] = key[k] tolower(line); next }
    { k = "" }
    END {
      split(spis, s, ",")
      print "# ikev2_decryption_table: from charon (level-4 log) for this capture only"
      printf "%s,%s,%s,%s,\"%s\",%s,%s,\"%s\"\n", s[1], s[2], key["Sk_ei"], key["Sk_er"], encr, key["Sk_ai"], key["Sk_ar"], integ
    }' $W/$1.a.log
}

psk='secrets { ike-1 { secret = "gredump-test-psk" } }'
psk_wrong='secrets { ike-1 { secret = "not-the-same-psk" } }'
# conn VERSION LOCAL REMOTE IKE-PROPOSALS ESP-PROPOSALS MODE [aggressive] [local_ts remote_ts]
conn() {
  cat <<C
connections { c0 {
  version = $1
  local_addrs = $2
  remote_addrs = $3
  proposals = $4
  aggressive = ${7:-no}
  dpd_delay = ${DPD_DELAY:-0s}
  local { auth = psk
    id = $2 }
  remote { auth = ${REMOTE_AUTH:-psk}
    id = $3 }
  children { c {
    esp_proposals = $5
    mode = $6
    local_ts = ${8:-dynamic}
    remote_ts = ${9:-dynamic}
  } }
} }
C
}
I=198.18.0.1; R=198.18.0.2
AES128='AES-CBC-128 [RFC3602]'; AES256='AES-CBC-256 [RFC3602]'; SHA256='HMAC_SHA2_256_128 [RFC4868]'
scenario v2-transport "$(conn 2 $I $R aes256-sha256-modp2048 aes128gcm16 transport) $psk" "$(conn 2 $R $I aes256-sha256-modp2048 aes128gcm16 transport) $psk" ping "$AES256" "$SHA256"
scenario v2-no-proposal "$(conn 2 $I $R aes128-sha256-modp2048 aes128gcm16 tunnel) $psk" "$(conn 2 $R $I aes256-sha512-ecp384 aes128gcm16 tunnel) $psk"
scenario v2-invalid-ke "$(conn 2 $I $R aes128-sha256-ecp256-modp2048 aes128-sha256 tunnel) $psk" "$(conn 2 $R $I aes128-sha256-modp2048 aes128-sha256 tunnel) $psk" ping "$AES128" "$SHA256"
scenario v2-auth-failed "$(conn 2 $I $R aes128-sha256-modp2048 aes128gcm16 tunnel) $psk" "$(conn 2 $R $I aes128-sha256-modp2048 aes128gcm16 tunnel) $psk_wrong" "" "$AES128" "$SHA256"
scenario v2-ts-unacceptable "$(conn 2 $I $R aes128-sha256-modp2048 aes128gcm16 tunnel no 198.18.0.1/32 198.18.5.0/24) $psk" "$(conn 2 $R $I aes128-sha256-modp2048 aes128gcm16 tunnel no 198.18.0.2/32 198.18.9.0/24) $psk" "" "$AES128" "$SHA256"
# The initiator refuses the responder's authentication (it wants a certificate, the responder signs with the PSK): the
# responder's IKE_AUTH answer carries AUTH, then the initiator's INFORMATIONAL says AUTHENTICATION_FAILED.
scenario v2-i-authfail "$(REMOTE_AUTH=pubkey conn 2 $I $R aes128-sha256-modp2048 aes128gcm16 tunnel) $psk" "$(conn 2 $R $I aes128-sha256-modp2048 aes128gcm16 tunnel) $psk" "" "$AES128" "$SHA256"
# An IKE_SA_INIT nobody answers: 198.18.3.3 is routed to the other peer, which is not it (three retransmissions).
ip -n $A route add 198.18.3.0/24 via $R
RETRIES=3
scenario v2-no-response "$(conn 2 $I 198.18.3.3 aes128-sha256-modp2048 aes128gcm16 tunnel) $psk" "$(conn 2 $R $I aes128-sha256-modp2048 aes128gcm16 tunnel) $psk"
RETRIES=
# IKEv1 with pre-shared keys that differ: main mode's encrypted fifth message does not open at the responder (it
# answers with an encrypted Informational); in aggressive mode the initiator finds the responder's HASH wrong.
scenario v1-wrong-psk "$(conn 1 $I $R aes128-sha256-modp2048 aes128-sha256 tunnel) $psk" "$(conn 1 $R $I aes128-sha256-modp2048 aes128-sha256 tunnel) $psk_wrong"
scenario v1-aggr-wrong-psk "$(conn 1 $I $R aes128-sha256-modp2048 aes128-sha256 tunnel yes) $psk" "$(conn 1 $R $I aes128-sha256-modp2048 aes128-sha256 tunnel yes) $psk_wrong"
# AES-CCM (an AEAD: no integrity key) and the RFC 4595 HMAC, as strongSwan's save-keys names them in the table.
scenario v2-ccm "$(conn 2 $I $R aes128ccm16-prfsha256-modp2048 aes128-sha256 tunnel) $psk" "$(conn 2 $R $I aes128ccm16-prfsha256-modp2048 aes128-sha256 tunnel) $psk" "" "AES-CCM-128 with 16 octet ICV [RFC5282]" "NONE [RFC4306]"
scenario v2-sha1-160 "$(conn 2 $I $R aes192-sha1_160-prfsha256-modp2048 aes128-sha256 tunnel) $psk" "$(conn 2 $R $I aes192-sha1_160-prfsha256-modp2048 aes128-sha256 tunnel) $psk" "" "AES-CBC-192 [RFC3602]" "HMAC_SHA1_160 [RFC4595]"
# Dead peer detection: the initiator's empty INFORMATIONAL requests (liveness checks) while the IKE SA is idle.
DPD_DELAY=1s; IDLE=4
scenario v2-dpd "$(conn 2 $I $R aes128-sha256-modp2048 aes128-sha256 tunnel) $psk" "$(conn 2 $R $I aes128-sha256-modp2048 aes128-sha256 tunnel) $psk" "" "$AES128" "$SHA256"
DPD_DELAY=; IDLE=
scenario v1-main "$(conn 1 $I $R 3des-sha1-modp1024 aes128-sha1 tunnel) $psk" "$(conn 1 $R $I 3des-sha1-modp1024 aes128-sha1 tunnel) $psk" ping
scenario v1-aggressive "$(conn 1 $I $R aes128-sha256-modp2048 aes128-sha256 tunnel yes) $psk" "$(conn 1 $R $I aes128-sha256-modp2048 aes128-sha256 tunnel yes) $psk" ping
# A child SA that comes up, with ESP (in UDP 4500: libipsec encapsulates always).
LIBIPSEC=1; REKEY=1; FROM=198.18.10.1; TO=198.18.20.1; ESP_ENC='AES-CBC [RFC3602]'; ESP_INT='HMAC-SHA-256-128 [RFC4868]'
scenario v2-child "$(conn 2 $I $R aes128-sha256-modp2048 aes256-sha256 tunnel no 198.18.10.1/32 198.18.20.1/32) $psk" "$(conn 2 $R $I aes128-sha256-modp2048 aes256-sha256 tunnel no 198.18.20.1/32 198.18.10.1/32) $psk" ping "$AES128" "$SHA256"
LIBIPSEC=; REKEY=; FROM=; TO=; ESP_ENC=
ls -la $OUT/ike-*.pcap
echo "logs in $W"
trap - EXIT
cleanup
