/*
 * gredump's libpcap binding (Node-API, C). It replaces the `cap` module,
 * which always opened interfaces promiscuous, gave no packet timestamps, no
 * pcap_stats and no offline filters, and crashed at exit after a failed open.
 *
 * Live packets are copied into a batch buffer the JavaScript side owns, as
 * records of four native-endian u32 (seconds, fraction, caplen, len)
 * followed by the bytes, and handed over a dispatch at a time (up to
 * PACKETS_PER_DISPATCH): one call into JavaScript for many packets, no
 * allocation per packet.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>
#include <pcap/pcap.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define RECORD_HEADER 16
/*
 * A wake-up reads for at most WAKEUP_NS, in dispatches of at most
 * PACKETS_PER_DISPATCH packets (a call into JavaScript each), so that a flood
 * cannot starve timers, keys and signals: one pcap_dispatch(-1) on a
 * TPACKET_V3 ring reads on as long as the kernel keeps filling blocks, which
 * under a flood faster than the reader is forever. What is left makes the
 * descriptor readable again (libuv's poll is level-triggered), read at the
 * next turn of the event loop.
 */
#define WAKEUP_NS (20 * 1000 * 1000)
#define PACKETS_PER_DISPATCH 1024

/*
 * A capture's life, one way: OPEN, then CLOSING (close() asked while
 * pcap_dispatch runs: it ends at the dispatch's return), RELEASED (the
 * JavaScript references are gone and the poll handle is closing), GONE
 * (pcap_close done). The struct is freed once it is GONE and JavaScript has
 * collected its handle (finalized), whichever comes last.
 */
typedef enum { OPEN, CLOSING, RELEASED, GONE } phase_t;

typedef struct {
  napi_env env;
  pcap_t *pcap;
  uv_poll_t poll;
  napi_ref on_batch;
  napi_ref on_error;
  napi_ref batch_ref;
  napi_async_context async_context;
  uint8_t *batch;
  size_t batch_size;
  size_t used;
  uint32_t count;
  phase_t phase;
  int dispatching;  /* inside pcap_dispatch: a close waits for it to return */
  int finalized;    /* the JavaScript handle was collected */
} capture_t;

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, "EBINDING", "gredump libpcap binding: " #call " failed"); \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

/* As CHECK, for calls made while something must still be let go: jumps to `fail`. */
#define CHECK_OR_FAIL(call)                                           \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, "EBINDING", "gredump libpcap binding: " #call " failed"); \
      goto fail;                                                      \
    }                                                                 \
  } while (0)

static napi_value throw_code(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

static int get_string(napi_env env, napi_value v, char *out, size_t size) {
  size_t len;
  return napi_get_value_string_utf8(env, v, out, size, &len) == napi_ok && len < size - 1;
}

static char *get_string_alloc(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s && napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) {
    free(s);
    return NULL;
  }
  return s;
}

static int32_t get_int_prop(napi_env env, napi_value obj, const char *name, int32_t fallback) {
  napi_value v;
  napi_valuetype t;
  int32_t out;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok) return fallback;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) return fallback;
  if (napi_get_value_int32(env, v, &out) != napi_ok) return fallback;
  return out;
}

static void free_if_done(capture_t *c) {
  if (c->finalized && c->phase == GONE) free(c);
}

static void on_poll_closed(uv_handle_t *handle) {
  capture_t *c = handle->data;
  pcap_close(c->pcap);
  c->pcap = NULL;
  c->phase = GONE;
  free_if_done(c);
}

static void release(capture_t *c) {
  if (c->phase >= RELEASED) return;
  c->phase = RELEASED;
  napi_env env = c->env;
  napi_delete_reference(env, c->on_batch);
  napi_delete_reference(env, c->on_error);
  napi_delete_reference(env, c->batch_ref);
  napi_async_destroy(env, c->async_context);
  c->batch = NULL;
  uv_poll_stop(&c->poll);
  uv_close((uv_handle_t *)&c->poll, on_poll_closed);
}

static void call_js(capture_t *c, napi_ref ref, size_t argc, napi_value *argv) {
  napi_env env = c->env;
  napi_value fn, recv, result;
  napi_get_reference_value(env, ref, &fn);
  napi_get_global(env, &recv); /* napi_make_callback wants an object as receiver */
  if (napi_make_callback(env, c->async_context, recv, fn, argc, argv, &result) == napi_pending_exception) {
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_fatal_exception(env, err);
  }
}

static void flush(capture_t *c) {
  if (c->count == 0 || c->phase != OPEN) return;
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value argv[2];
  napi_create_uint32(env, c->count, &argv[0]);
  napi_create_uint32(env, (uint32_t)c->used, &argv[1]);
  c->count = 0;
  c->used = 0;
  call_js(c, c->on_batch, 2, argv);
  napi_close_handle_scope(env, scope);
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes) {
  capture_t *c = (capture_t *)user;
  if (c->phase != OPEN) return;
  size_t need = RECORD_HEADER + h->caplen;
  if (c->used + need > c->batch_size) {
    flush(c);
    if (c->phase != OPEN) return;
  }
  if (need > c->batch_size) return; /* cannot happen: the batch holds a snaplen and a header */
  uint32_t header[4] = {(uint32_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec, h->caplen, h->len};
  memcpy(c->batch + c->used, header, RECORD_HEADER);
  memcpy(c->batch + c->used + RECORD_HEADER, bytes, h->caplen);
  c->used += need;
  c->count++;
}

static void report_error(capture_t *c, const char *message) {
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value argv[1];
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &argv[0]);
  call_js(c, c->on_error, 1, argv);
  napi_close_handle_scope(env, scope);
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  capture_t *c = handle->data;
  if (c->phase != OPEN) return;
  if (status < 0) {
    report_error(c, uv_strerror(status));
  } else {
    c->dispatching = 1;
    uint64_t start = uv_hrtime();
    int n;
    do {
      n = pcap_dispatch(c->pcap, PACKETS_PER_DISPATCH, on_packet, (u_char *)c);
      flush(c);
    } while (n > 0 && c->phase == OPEN && uv_hrtime() - start < WAKEUP_NS);
    c->dispatching = 0;
    if (n == PCAP_ERROR && c->phase == OPEN) report_error(c, pcap_geterr(c->pcap));
  }
  if (c->phase == CLOSING) release(c);
}

static void finalize_capture(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  capture_t *c = data;
  c->finalized = 1;
  release(c);
  free_if_done(c);
}

static capture_t *get_capture(napi_env env, napi_value v) {
  capture_t *c = NULL;
  if (napi_get_value_external(env, v, (void **)&c) != napi_ok) return NULL;
  return c;
}

/* open(device, {snaplen, promisc, bufferSize, timeoutMs}, filter, batch, onBatch(count, used), onError(message)) */
static napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) return throw_code(env, "EARGS", "open: six arguments expected");

  char device[256], errbuf[PCAP_ERRBUF_SIZE] = "";
  if (!get_string(env, argv[0], device, sizeof device)) return throw_code(env, "EARGS", "open: bad device name");
  int32_t snaplen = get_int_prop(env, argv[1], "snaplen", 262144);
  int32_t promisc = get_int_prop(env, argv[1], "promisc", 1);
  int32_t buffer_size = get_int_prop(env, argv[1], "bufferSize", 16 << 20);
  int32_t timeout_ms = get_int_prop(env, argv[1], "timeoutMs", 100);

  napi_typedarray_type ta_type;
  size_t batch_len;
  void *batch_data;
  napi_value batch_ab;
  size_t batch_offset;
  if (napi_get_typedarray_info(env, argv[3], &ta_type, &batch_len, &batch_data, &batch_ab, &batch_offset) != napi_ok
      || ta_type != napi_uint8_array || batch_len < (size_t)snaplen + RECORD_HEADER) {
    return throw_code(env, "EARGS", "open: the batch must be a Uint8Array holding a snaplen and a record header");
  }

  pcap_t *p = pcap_create(device, errbuf);
  if (!p) return throw_code(env, "EPCAP", errbuf);
  pcap_set_snaplen(p, snaplen);
  pcap_set_promisc(p, promisc);
  pcap_set_timeout(p, timeout_ms);
  pcap_set_buffer_size(p, buffer_size);
  pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO); /* microseconds where the kernel offers no more */

  int rc = pcap_activate(p);
  if (rc < 0) {
    const char *code = "EPCAP";
    if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED) code = "EPERM";
    else if (rc == PCAP_ERROR_NO_SUCH_DEVICE) code = "ENODEV";
    else if (rc == PCAP_ERROR_IFACE_NOT_UP) code = "EDOWN";
    const char *detail = pcap_geterr(p);
    char message[PCAP_ERRBUF_SIZE + 128];
    snprintf(message, sizeof message, "%s%s%s", pcap_statustostr(rc), detail && *detail ? ": " : "", detail ? detail : "");
    pcap_close(p);
    return throw_code(env, code, message);
  }
  char warning[PCAP_ERRBUF_SIZE + 128] = "";
  if (rc > 0) snprintf(warning, sizeof warning, "%s: %s", pcap_statustostr(rc), pcap_geterr(p));

  char *filter = get_string_alloc(env, argv[2]);
  if (filter && *filter) {
    struct bpf_program prog;
    if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
      char message[PCAP_ERRBUF_SIZE];
      snprintf(message, sizeof message, "%s", pcap_geterr(p));
      free(filter);
      pcap_close(p);
      return throw_code(env, "EFILTER", message);
    }
    int set = pcap_setfilter(p, &prog);
    pcap_freecode(&prog);
    if (set < 0) {
      char message[PCAP_ERRBUF_SIZE];
      snprintf(message, sizeof message, "%s", pcap_geterr(p));
      free(filter);
      pcap_close(p);
      return throw_code(env, "EFILTER", message);
    }
  }
  free(filter);

  if (pcap_setnonblock(p, 1, errbuf) < 0) {
    pcap_close(p);
    return throw_code(env, "EPCAP", errbuf);
  }
  int fd = pcap_get_selectable_fd(p);
  uv_loop_t *loop;
  if (fd < 0 || napi_get_uv_event_loop(env, &loop) != napi_ok) {
    pcap_close(p);
    return throw_code(env, "EPCAP", "this interface offers no descriptor to wait on");
  }

  capture_t *c = calloc(1, sizeof *c);
  if (!c) {
    pcap_close(p);
    return throw_code(env, "ENOMEM", "out of memory");
  }
  c->env = env;
  c->pcap = p;
  c->batch = (uint8_t *)batch_data;
  c->batch_size = batch_len;
  c->phase = OPEN;
  /* The handle first: from here on its finalizer owns c, so no failure below can leak it. */
  napi_value result, handle, v, resource_name;
  if (napi_create_external(env, c, finalize_capture, NULL, &handle) != napi_ok) {
    pcap_close(p);
    free(c);
    return throw_code(env, "EBINDING", "gredump libpcap binding: napi_create_external failed");
  }
  CHECK_OR_FAIL(napi_create_string_utf8(env, "gredump:pcap", NAPI_AUTO_LENGTH, &resource_name));
  CHECK_OR_FAIL(napi_async_init(env, NULL, resource_name, &c->async_context));
  CHECK_OR_FAIL(napi_create_reference(env, argv[3], 1, &c->batch_ref));
  CHECK_OR_FAIL(napi_create_reference(env, argv[4], 1, &c->on_batch));
  CHECK_OR_FAIL(napi_create_reference(env, argv[5], 1, &c->on_error));
  uv_poll_init(loop, &c->poll, fd);
  c->poll.data = c;
  uv_poll_start(&c->poll, UV_READABLE, on_readable);

  CHECK_OR_FAIL(napi_create_object(env, &result));
  CHECK_OR_FAIL(napi_set_named_property(env, result, "handle", handle));
  CHECK_OR_FAIL(napi_create_int32(env, pcap_datalink(p), &v));
  CHECK_OR_FAIL(napi_set_named_property(env, result, "linktype", v));
  CHECK_OR_FAIL(napi_get_boolean(env, pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO, &v));
  CHECK_OR_FAIL(napi_set_named_property(env, result, "nanoseconds", v));
  CHECK_OR_FAIL(napi_create_int32(env, pcap_snapshot(p), &v));
  CHECK_OR_FAIL(napi_set_named_property(env, result, "snaplen", v));
  if (*warning) CHECK_OR_FAIL(napi_create_string_utf8(env, warning, NAPI_AUTO_LENGTH, &v));
  else CHECK_OR_FAIL(napi_get_null(env, &v));
  CHECK_OR_FAIL(napi_set_named_property(env, result, "warning", v));
  return result;

fail:
  /* Stop and close now; the finalizer frees c when the unreturned handle is collected. */
  if (c->poll.data == c) release(c); /* stops the poll and drops the references; its close callback closes pcap */
  else {
    if (c->batch_ref) napi_delete_reference(env, c->batch_ref);
    if (c->on_batch) napi_delete_reference(env, c->on_batch);
    if (c->on_error) napi_delete_reference(env, c->on_error);
    if (c->async_context) napi_async_destroy(env, c->async_context);
    pcap_close(p);
    c->pcap = NULL;
    c->phase = GONE;
  }
  return NULL;
}

/* The capture handle given as the only argument, or NULL. */
static capture_t *capture_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return NULL;
  return get_capture(env, argv[0]);
}

/* close(handle): stops the capture; safe from inside onBatch and more than once. */
static napi_value Close(napi_env env, napi_callback_info info) {
  capture_t *c = capture_arg(env, info);
  if (!c) return throw_code(env, "EARGS", "close: not a capture handle");
  if (c->phase != OPEN) return NULL;
  if (c->dispatching) {
    c->phase = CLOSING;
    pcap_breakloop(c->pcap);
  } else release(c);
  return NULL;
}

/* stats(handle) -> {received, dropped, ifDropped}, libpcap's pcap_stats. */
static napi_value Stats(napi_env env, napi_callback_info info) {
  capture_t *c = capture_arg(env, info);
  if (!c || c->phase != OPEN) return throw_code(env, "EARGS", "stats: not an open capture");
  struct pcap_stat st;
  if (pcap_stats(c->pcap, &st) < 0) return throw_code(env, "EPCAP", pcap_geterr(c->pcap));
  napi_value result, v;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_uint32(env, st.ps_recv, &v));
  CHECK(napi_set_named_property(env, result, "received", v));
  CHECK(napi_create_uint32(env, st.ps_drop, &v));
  CHECK(napi_set_named_property(env, result, "dropped", v));
  CHECK(napi_create_uint32(env, st.ps_ifdrop, &v));
  CHECK(napi_set_named_property(env, result, "ifDropped", v));
  return result;
}

static napi_value address_text(napi_env env, struct sockaddr *sa) {
  char text[INET6_ADDRSTRLEN] = "";
  napi_value v;
  if (!sa) return NULL;
  if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, text, sizeof text);
  else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof text);
  else return NULL;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &v) != napi_ok) return NULL;
  return v;
}

/* devices() -> [{name, description, flags, addresses: [{addr, netmask}]}], libpcap's pcap_findalldevs. */
static napi_value Devices(napi_env env, napi_callback_info info) {
  (void)info;
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_if_t *all;
  if (pcap_findalldevs(&all, errbuf) < 0) return throw_code(env, "EPCAP", errbuf);
  napi_value list, v;
  CHECK_OR_FAIL(napi_create_array(env, &list));
  uint32_t i = 0;
  for (pcap_if_t *d = all; d; d = d->next) {
    napi_value dev, addrs;
    CHECK_OR_FAIL(napi_create_object(env, &dev));
    CHECK_OR_FAIL(napi_create_string_utf8(env, d->name, NAPI_AUTO_LENGTH, &v));
    CHECK_OR_FAIL(napi_set_named_property(env, dev, "name", v));
    if (d->description) CHECK_OR_FAIL(napi_create_string_utf8(env, d->description, NAPI_AUTO_LENGTH, &v));
    else CHECK_OR_FAIL(napi_get_null(env, &v));
    CHECK_OR_FAIL(napi_set_named_property(env, dev, "description", v));
    CHECK_OR_FAIL(napi_create_uint32(env, d->flags, &v));
    CHECK_OR_FAIL(napi_set_named_property(env, dev, "flags", v));
    CHECK_OR_FAIL(napi_create_array(env, &addrs));
    uint32_t j = 0;
    for (pcap_addr_t *a = d->addresses; a; a = a->next) {
      napi_value addr = address_text(env, a->addr);
      if (!addr) continue;
      napi_value entry, mask = address_text(env, a->netmask);
      CHECK_OR_FAIL(napi_create_object(env, &entry));
      CHECK_OR_FAIL(napi_set_named_property(env, entry, "addr", addr));
      if (!mask) CHECK_OR_FAIL(napi_get_null(env, &mask));
      CHECK_OR_FAIL(napi_set_named_property(env, entry, "netmask", mask));
      CHECK_OR_FAIL(napi_set_element(env, addrs, j++, entry));
    }
    CHECK_OR_FAIL(napi_set_named_property(env, dev, "addresses", addrs));
    CHECK_OR_FAIL(napi_set_element(env, list, i++, dev));
  }
  pcap_freealldevs(all);
  return list;

fail:
  pcap_freealldevs(all);
  return NULL;
}

static void finalize_program(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  pcap_freecode(data);
  free(data);
}

/* Whether the first two of argc arguments are there and read as int32 into a and b. */
static bool two_int32(napi_env env, size_t argc, napi_value *argv, int32_t *a, int32_t *b) {
  return argc >= 2 && napi_get_value_int32(env, argv[0], a) == napi_ok
      && napi_get_value_int32(env, argv[1], b) == napi_ok;
}

/* compile(linktype, snaplen, expression) -> a filter for files, or throws EFILTER with libpcap's message. */
static napi_value Compile(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t linktype, snaplen;
  if (argc < 3 || !two_int32(env, argc, argv, &linktype, &snaplen)) {
    return throw_code(env, "EARGS", "compile: linktype, snaplen and expression expected");
  }
  char *expr = get_string_alloc(env, argv[2]);
  if (!expr) return throw_code(env, "EARGS", "compile: the expression must be a string");
  pcap_t *dead = pcap_open_dead(linktype, snaplen);
  struct bpf_program *prog = calloc(1, sizeof *prog);
  if (!dead || !prog) {
    free(expr);
    free(prog);
    if (dead) pcap_close(dead);
    return throw_code(env, "ENOMEM", "out of memory");
  }
  if (pcap_compile(dead, prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
    char message[PCAP_ERRBUF_SIZE];
    snprintf(message, sizeof message, "%s", pcap_geterr(dead));
    free(expr);
    free(prog);
    pcap_close(dead);
    return throw_code(env, "EFILTER", message);
  }
  free(expr);
  pcap_close(dead);
  napi_value handle;
  CHECK(napi_create_external(env, prog, finalize_program, NULL, &handle));
  return handle;
}

/* matches(filter, bytes, offset, caplen, len) -> whether the frame passes, libpcap's pcap_offline_filter. */
static napi_value Matches(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct bpf_program *prog;
  napi_typedarray_type type;
  size_t length, byte_offset;
  void *data;
  napi_value ab;
  uint32_t offset, caplen, len;
  if (argc < 5 || napi_get_value_external(env, argv[0], (void **)&prog) != napi_ok
      || napi_get_typedarray_info(env, argv[1], &type, &length, &data, &ab, &byte_offset) != napi_ok
      || type != napi_uint8_array
      || napi_get_value_uint32(env, argv[2], &offset) != napi_ok
      || napi_get_value_uint32(env, argv[3], &caplen) != napi_ok
      || napi_get_value_uint32(env, argv[4], &len) != napi_ok
      || (size_t)offset + caplen > length) {
    return throw_code(env, "EARGS", "matches: filter, Uint8Array, offset, caplen and len expected, within the array");
  }
  struct pcap_pkthdr h;
  memset(&h, 0, sizeof h);
  h.caplen = caplen;
  h.len = len;
  napi_value result;
  CHECK(napi_get_boolean(env, pcap_offline_filter(prog, &h, (const u_char *)data + offset) != 0, &result));
  return result;
}

static napi_value Version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  CHECK(napi_create_string_utf8(env, pcap_lib_version(), NAPI_AUTO_LENGTH, &v));
  return v;
}

/*
 * pipeSize(fd, bytes) -> the pipe's buffer size after asking for `bytes`
 * (Linux's F_SETPIPE_SZ: a writer that fills a 64 KiB pipe waits for its
 * reader on every write), or -1 where the system has no such call. A
 * refusal (above /proc/sys/fs/pipe-max-size, or the user's pipes over
 * their quota) leaves the size as it was.
 */
static napi_value PipeSize(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd, bytes;
  if (!two_int32(env, argc, argv, &fd, &bytes)) {
    return throw_code(env, "EARGS", "pipeSize: fd and bytes expected");
  }
  int size = -1;
#if defined(F_SETPIPE_SZ) && defined(F_GETPIPE_SZ)
  size = fcntl(fd, F_SETPIPE_SZ, bytes);
  if (size < 0) size = fcntl(fd, F_GETPIPE_SZ);
#endif
  napi_value result;
  CHECK(napi_create_int32(env, size, &result));
  return result;
}

/* waitWritable(fd, ms) -> whether fd takes a write (or has an error to tell), after waiting at most ms: poll(2). */
static napi_value WaitWritable(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd, ms;
  if (!two_int32(env, argc, argv, &fd, &ms)) {
    return throw_code(env, "EARGS", "waitWritable: fd and milliseconds expected");
  }
  struct pollfd p = {.fd = fd, .events = POLLOUT, .revents = 0};
  int r;
  do r = poll(&p, 1, ms);
  while (r < 0 && errno == EINTR);
  napi_value result;
  CHECK(napi_get_boolean(env, r > 0, &result));
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"open", NULL, Open, NULL, NULL, NULL, napi_default, NULL},
    {"close", NULL, Close, NULL, NULL, NULL, napi_default, NULL},
    {"stats", NULL, Stats, NULL, NULL, NULL, napi_default, NULL},
    {"devices", NULL, Devices, NULL, NULL, NULL, napi_default, NULL},
    {"compile", NULL, Compile, NULL, NULL, NULL, napi_default, NULL},
    {"matches", NULL, Matches, NULL, NULL, NULL, napi_default, NULL},
    {"version", NULL, Version, NULL, NULL, NULL, napi_default, NULL},
    {"pipeSize", NULL, PipeSize, NULL, NULL, NULL, napi_default, NULL},
    {"waitWritable", NULL, WaitWritable, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
