/**
 * The QUIC frames that Initial and Handshake packets carry (RFC 9000 §19):
 * PADDING, PING, ACK, CRYPTO and CONNECTION_CLOSE. Parsing is bounds-checked
 * and stops at the first frame type not allowed at these levels.
 */
import { Reader, WireError, varint } from './bytes.js';

export type Frame =
  | { type: 'padding'; length: number }
  | { type: 'ping' }
  | { type: 'ack'; largest: number; delay: number; ranges: number }
  | { type: 'crypto'; offset: number; data: Buffer }
  | { type: 'close'; frameKind: 0x1c | 0x1d; code: number; frameType: number | null; reason: Buffer }
  | { type: 'handshake-done' };

/** Most ACK ranges one frame may claim before it is taken as garbage. */
const MAX_ACK_RANGES = 256;

/** Parses every frame of a decrypted payload; throws WireError on a malformed or forbidden frame. */
export function parseFrames(payload: Buffer): Frame[] {
  const r = new Reader(payload);
  const frames: Frame[] = [];
  while (!r.done) {
    const type = r.varint();
    switch (type) {
      case 0x00: {
        let n = 1;
        while (!r.done && payload[r.pos] === 0) {
          r.pos++;
          n++;
        }
        frames.push({ type: 'padding', length: n });
        break;
      }
      case 0x01:
        frames.push({ type: 'ping' });
        break;
      case 0x02:
      case 0x03: {
        const largest = r.varint();
        const delay = r.varint();
        const count = r.varint();
        if (count > MAX_ACK_RANGES) throw new WireError(`ACK frame with ${count} ranges`);
        r.varint();
        for (let i = 0; i < count; i++) {
          r.varint();
          r.varint();
        }
        if (type === 0x03) {
          r.varint();
          r.varint();
          r.varint();
        }
        frames.push({ type: 'ack', largest, delay, ranges: count + 1 });
        break;
      }
      case 0x06: {
        const offset = r.varint();
        const data = r.bytes(r.varint(), 'CRYPTO data');
        frames.push({ type: 'crypto', offset, data });
        break;
      }
      case 0x1c:
      case 0x1d: {
        const code = r.varint();
        const frameType = type === 0x1c ? r.varint() : null;
        const reason = r.bytes(r.varint(), 'reason phrase');
        frames.push({ type: 'close', frameKind: type, code, frameType, reason });
        break;
      }
      case 0x1e:
        frames.push({ type: 'handshake-done' });
        break;
      default:
        throw new WireError(`frame type 0x${type.toString(16)} is not allowed in Initial or Handshake packets`);
    }
  }
  return frames;
}

export function cryptoFrame(offset: number, data: Buffer): Buffer {
  return Buffer.concat([varint(0x06), varint(offset), varint(data.length), data]);
}

/** An ACK frame for the contiguous range [smallest, largest]. */
export function ackFrame(largest: number, smallest = largest): Buffer {
  return Buffer.concat([varint(0x02), varint(largest), varint(0), varint(0), varint(largest - smallest)]);
}

/** A transport-level CONNECTION_CLOSE (0x1c). */
export function closeFrame(code: number, frameType: number, reason: string): Buffer {
  const r = Buffer.from(reason, 'utf8');
  return Buffer.concat([varint(0x1c), varint(code), varint(frameType), varint(r.length), r]);
}

export function paddingFrames(n: number): Buffer {
  return Buffer.alloc(Math.max(0, n));
}

/** RFC 9000 §20.1 transport error names. */
const TRANSPORT_ERRORS: Record<number, string> = {
  0x00: 'NO_ERROR',
  0x01: 'INTERNAL_ERROR',
  0x02: 'CONNECTION_REFUSED',
  0x03: 'FLOW_CONTROL_ERROR',
  0x04: 'STREAM_LIMIT_ERROR',
  0x05: 'STREAM_STATE_ERROR',
  0x06: 'FINAL_SIZE_ERROR',
  0x07: 'FRAME_ENCODING_ERROR',
  0x08: 'TRANSPORT_PARAMETER_ERROR',
  0x09: 'CONNECTION_ID_LIMIT_ERROR',
  0x0a: 'PROTOCOL_VIOLATION',
  0x0b: 'INVALID_TOKEN',
  0x0c: 'APPLICATION_ERROR',
  0x0d: 'CRYPTO_BUFFER_EXCEEDED',
  0x0e: 'KEY_UPDATE_ERROR',
  0x0f: 'AEAD_LIMIT_REACHED',
  0x10: 'NO_VIABLE_PATH',
};

/** TLS alert names (RFC 8446 §6) for CRYPTO_ERROR codes 0x0100-0x01ff. */
export const TLS_ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/** The TLS alert a CRYPTO_ERROR carries, null for other codes. */
export function tlsAlertOf(code: number): number | null {
  return code >= 0x0100 && code <= 0x01ff ? code - 0x0100 : null;
}

/** A readable name for a transport error code, e.g. `CRYPTO_ERROR (TLS alert 120 no_application_protocol)`. */
export function errorName(code: number, application = false): string {
  if (application) return `application error 0x${code.toString(16)}`;
  const alert = tlsAlertOf(code);
  if (alert !== null) return `CRYPTO_ERROR 0x${code.toString(16)} (TLS alert ${alert} ${TLS_ALERTS[alert] ?? 'unknown'})`;
  return TRANSPORT_ERRORS[code] ? `${TRANSPORT_ERRORS[code]} (0x${code.toString(16)})` : `error 0x${code.toString(16)}`;
}
