import type { Severity } from './catalogue.js';
import type { Protection } from '../tunnels/tunnel.js';

/**
 * The colours of protections and severities, worst red, for the audit
 * report, the UI and the UI's help; the words say it without colour.
 * Names both chalk and ink take.
 */
export const PROTECTION_COLOUR: Readonly<Record<Protection, 'red' | 'yellow' | 'green' | 'gray'>> = {
  cleartext: 'red',
  'integrity-only': 'yellow',
  encrypted: 'green',
  unknown: 'gray',
};

export const SEVERITY_COLOUR: Readonly<Record<Severity, 'red' | 'yellow' | 'cyan' | 'gray'>> = {
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};
