{
  'targets': [
    {
      'target_name': 'gredump_pcap',
      'sources': ['pcap.c'],
      'cflags': ['-O2', '-Wall', '-Wextra', '-Wno-unused-parameter'],
      'link_settings': { 'libraries': ['-lpcap'] },
    },
  ],
}
