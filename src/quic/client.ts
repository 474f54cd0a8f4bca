/**
 * The client side of a QUIC v1 handshake as a state machine with no I/O:
 * it builds the first Initial (ClientHello padded to 1200 bytes), takes
 * the server's datagrams one by one, and records what they showed: Version
 * Negotiation, Retry, CONNECTION_CLOSE, ServerHello, EncryptedExtensions
 * (ALPN, ECH), the certificate chain, CertificateVerify and Finished. It
 * never completes the handshake (no client Finished). probe.ts drives it.
 */
import { createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { WireError } from './bytes.js';
import { CryptoStream, type HandshakeMessage } from './crypto-stream.js';
import { ackFrame, closeFrame, cryptoFrame, parseFrames, type Frame } from './frames.js';
import { SUITES, finishedMac, handshakeSecrets, hash, initialKeys, packetKeys, type CipherSuite, type PacketKeys } from './keys.js';
import { openLong, protectLong, splitDatagram, verifyRetry, type LongPacket, type Packet } from './packet.js';
import {
  GROUP_X25519,
  HS,
  TLS13,
  buildClientHello,
  checkCertificateVerify,
  clientTransportParams,
  greaseEch,
  parseCertificateMessage,
  parseCertificateVerify,
  parseEncryptedExtensions,
  parseServerHello,
  type EncryptedExtensions,
  type ServerHello,
} from './tls.js';

/** Smallest UDP payload of a datagram carrying a client Initial (RFC 9000 §14.1). */
export const MIN_INITIAL_DATAGRAM = 1200;

type Space = 'initial' | 'handshake';

export interface CloseInfo {
  code: number;
  frameType: number | null;
  reason: Buffer;
  application: boolean;
  level: Space;
}

export interface ClientOptions {
  domain: string;
  alpn: string;
  /** Source of random bytes (tests may make it deterministic). */
  random?: (n: number) => Buffer;
  /** Cap of each CRYPTO stream. */
  maxCryptoBytes?: number;
}

class SpaceState {
  largest = -1;
  received = new Set<number>();
  ackPending = false;
  nextPn = 0;
  readonly stream: CryptoStream;
  constructor(maxCryptoBytes: number) {
    this.stream = new CryptoStream(maxCryptoBytes);
  }

  /** Largest pn and the start of the contiguous run below it. */
  ackRange(): [number, number] | null {
    if (this.largest < 0) return null;
    let low = this.largest;
    while (low > 0 && this.received.has(low - 1) && this.largest - low < 1000) low--;
    return [this.largest, low];
  }
}

const MAX_BUFFERED = 16;
const MAX_ERRORS = 8;

export class ClientConnection {
  readonly scid: Buffer;
  /** The client's first Destination Connection ID (Initial keys, Retry check). */
  readonly odcid: Buffer;
  dcid: Buffer;
  token: Buffer = Buffer.alloc(0);
  private initialKeys: { client: PacketKeys; server: PacketKeys };
  private handshakeKeys: { client: PacketKeys; server: PacketKeys } | null = null;
  private readonly privateKey: KeyObject;
  private readonly clientHello: Buffer;
  private readonly initial: SpaceState;
  private readonly handshake: SpaceState;
  private transcript: Buffer[] = [];
  private serverHsSecret: Buffer | null = null;
  private buffered: LongPacket[] = [];
  private serverCidSet = false;

  // What the server showed.
  versions: number[] | null = null;
  bogusVersions: number[] | null = null;
  retry: { token: Buffer; scid: Buffer } | null = null;
  /** Why a Retry was discarded (bad tag, a second one); the probe goes on waiting. */
  retryInvalid: string | null = null;
  /** Set when a valid Retry came and the Initial must be sent again with its token. */
  resendNeeded = false;
  close: CloseInfo | null = null;
  serverHello: ServerHello | null = null;
  suite: CipherSuite | null = null;
  encryptedExtensions: EncryptedExtensions | null = null;
  certificateRequested = false;
  chain: Buffer[] | null = null;
  certificateVerify: boolean | null = null;
  certificateVerifyNote: string | null = null;
  finished: boolean | null = null;
  /** Fatal handshake problem (TLS level): the probe stops. */
  fatal: string | null = null;
  /** Packet-level problems (undecryptable, malformed), first few. */
  errors: string[] = [];
  packetsOpened = 0;
  packetsDropped = 0;

  constructor(opts: ClientOptions) {
    const rnd = opts.random ?? randomBytes;
    this.odcid = rnd(8);
    this.dcid = this.odcid;
    this.scid = rnd(8);
    this.initialKeys = initialKeys(this.odcid);
    const max = opts.maxCryptoBytes ?? 65_536;
    this.initial = new SpaceState(max);
    this.handshake = new SpaceState(max);
    const kp = generateKeyPairSync('x25519');
    this.privateKey = kp.privateKey;
    const jwk = kp.publicKey.export({ format: 'jwk' });
    this.clientHello = buildClientHello({
      random: rnd(32),
      sni: opts.domain,
      alpn: [opts.alpn],
      keyShare: Buffer.from(jwk.x ?? '', 'base64url'),
      transportParams: clientTransportParams(this.scid),
      ech: greaseEch(rnd),
    });
    this.transcript.push(this.clientHello);
  }

  /** The server answered with anything QUIC v1 we could open. */
  get answered(): boolean {
    return this.packetsOpened > 0;
  }

  get reachedCertificate(): boolean {
    return this.chain !== null;
  }

  /** Nothing more to wait for. */
  get finishedWaiting(): boolean {
    return this.fatal !== null || this.close !== null || this.versions !== null || this.finished !== null;
  }

  private note(err: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(err);
  }

  /** The first flight (or its retransmission): one Initial with the ClientHello, padded to 1200 bytes. */
  initialDatagram(): Buffer {
    return this.initialPacket(cryptoFrame(0, this.clientHello), MIN_INITIAL_DATAGRAM);
  }

  private initialPacket(frames: Buffer, datagramSize: number): Buffer {
    const overhead = 1 + 4 + 1 + this.dcid.length + 1 + this.scid.length + varintLen(this.token.length) + this.token.length + 2 + 4 + 16;
    const pad = Math.max(0, datagramSize - overhead - frames.length);
    const payload = Buffer.concat([frames, Buffer.alloc(pad)]);
    return protectLong({ type: 'initial', dcid: this.dcid, scid: this.scid, token: this.token, pn: this.initial.nextPn++ }, payload, this.initialKeys.client);
  }

  private handshakePacket(frames: Buffer): Buffer {
    return protectLong({ type: 'handshake', dcid: this.dcid, scid: this.scid, pn: this.handshake.nextPn++ }, frames, this.handshakeKeys!.client);
  }

  /** ACKs for what arrived since the last call (null when nothing needs one). */
  ackDatagram(): Buffer | null {
    const parts: Buffer[] = [];
    const hs = this.handshake.ackRange();
    if (this.handshake.ackPending && hs && this.handshakeKeys) {
      parts.push(this.handshakePacket(ackFrame(hs[0], hs[1])));
      this.handshake.ackPending = false;
    }
    const ini = this.initial.ackRange();
    if (this.initial.ackPending && ini) {
      parts.unshift(this.initialPacket(ackFrame(ini[0], ini[1]), MIN_INITIAL_DATAGRAM - (parts[0]?.length ?? 0)));
      this.initial.ackPending = false;
    }
    return parts.length ? Buffer.concat(parts) : null;
  }

  /** A CONNECTION_CLOSE (NO_ERROR) at the highest level we have keys for; null when the server never answered. */
  closeDatagram(): Buffer | null {
    if (!this.answered) return null;
    const frame = closeFrame(0x00, 0x00, 'xmpp-check probe done');
    if (this.handshakeKeys) return this.handshakePacket(frame);
    return this.initialPacket(frame, MIN_INITIAL_DATAGRAM);
  }

  /** Takes one datagram from the server. Never throws for bad input. */
  handleDatagram(d: Buffer): void {
    const { packets, error } = splitDatagram(d);
    if (error) this.note(`malformed datagram: ${error}`);
    for (const p of packets) {
      try {
        this.handlePacket(p);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        this.note(err.message);
      }
      if (this.finishedWaiting) return;
    }
  }

  private handlePacket(p: Packet): void {
    switch (p.kind) {
      case 'version-negotiation':
        if (!p.dcid.equals(this.scid) || !p.scid.equals(this.odcid)) {
          this.note('version negotiation packet with connection ids that are not ours');
          return;
        }
        if (this.answered) return; // RFC 9000 §6.2: ignore once any other packet was processed
        if (p.versions.includes(1)) this.bogusVersions = p.versions;
        else this.versions = p.versions;
        return;
      case 'retry':
        return this.handleRetry(p);
      case 'long':
        if (p.type === 'initial') return this.openAndHandle(p, 'initial');
        if (p.type === 'handshake') {
          if (!this.handshakeKeys) {
            if (this.buffered.length < MAX_BUFFERED) this.buffered.push(p);
            return;
          }
          return this.openAndHandle(p, 'handshake');
        }
        this.packetsDropped++;
        return;
      case 'short':
        this.packetsDropped++;
        return;
      case 'unknown-version':
        this.note(`packet of unknown version 0x${(p.version ?? 0).toString(16)}`);
        return;
    }
  }

  /** RFC 9000 §17.2.5.2: a bad or second Retry is discarded; we remember why for the report. */
  private handleRetry(p: Extract<Packet, { kind: 'retry' }>): void {
    if (this.answered) return;
    if (this.retry) {
      this.retryInvalid = 'a second Retry after our retried Initial';
      return;
    }
    if (!p.dcid.equals(this.scid)) {
      this.note('Retry for another connection id');
      return;
    }
    if (!verifyRetry(p, this.odcid)) {
      this.retryInvalid = 'the Retry integrity tag does not match';
      return;
    }
    if (p.scid.equals(this.odcid)) {
      this.retryInvalid = 'the Retry keeps our connection id';
      return;
    }
    this.retry = { token: Buffer.from(p.token), scid: Buffer.from(p.scid) };
    this.token = this.retry.token;
    this.dcid = this.retry.scid;
    this.initialKeys = initialKeys(this.dcid);
    this.resendNeeded = true;
  }

  private openAndHandle(p: LongPacket, space: Space): void {
    const st = space === 'initial' ? this.initial : this.handshake;
    const keys = space === 'initial' ? this.initialKeys.server : this.handshakeKeys!.server;
    let opened;
    try {
      opened = openLong(p, keys, st.largest);
    } catch (err) {
      this.packetsDropped++;
      throw err;
    }
    if (!p.dcid.equals(this.scid)) throw new WireError(`${space} packet for another connection id`);
    this.packetsOpened++;
    if (!this.serverCidSet) {
      this.dcid = Buffer.from(p.scid);
      this.serverCidSet = true;
    }
    if (st.received.has(opened.pn)) return;
    st.received.add(opened.pn);
    if (st.received.size > 10_000) st.received.clear();
    if (opened.pn > st.largest) st.largest = opened.pn;
    let frames: Frame[];
    try {
      frames = parseFrames(opened.payload);
    } catch (err) {
      this.fatal = `malformed frames in a ${space} packet: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    for (const f of frames) {
      if (f.type === 'crypto') st.stream.insert(f.offset, f.data);
      else if (f.type === 'close') {
        this.close = { code: f.code, frameType: f.frameType, reason: Buffer.from(f.reason), application: f.frameKind === 0x1d, level: space };
        return;
      }
      if (f.type !== 'ack' && f.type !== 'padding') st.ackPending = true;
    }
    for (const m of st.stream.messages()) {
      if (space === 'initial') this.onInitialMessage(m);
      else this.onHandshakeMessage(m);
      if (this.fatal) return;
    }
  }

  private onInitialMessage(m: HandshakeMessage): void {
    if (m.type !== HS.serverHello || this.serverHello) {
      this.fatal = `unexpected TLS message type ${m.type} in Initial packets`;
      return;
    }
    const sh = parseServerHello(m.body);
    this.serverHello = sh;
    if (sh.helloRetryRequest) {
      this.fatal = `HelloRetryRequest for group 0x${(sh.keyShare?.group ?? 0).toString(16)}`;
      return;
    }
    if (sh.version !== TLS13) {
      this.fatal = sh.version === null ? 'ServerHello without supported_versions (not TLS 1.3)' : `ServerHello selected version 0x${sh.version.toString(16)}`;
      return;
    }
    const suite = SUITES.get(sh.cipherSuite);
    if (!suite) {
      this.fatal = `the server chose cipher suite 0x${sh.cipherSuite.toString(16)}, which we did not offer`;
      return;
    }
    if (!sh.keyShare || sh.keyShare.group !== GROUP_X25519 || !sh.keyShare.key || sh.keyShare.key.length !== 32) {
      this.fatal = 'ServerHello without a usable x25519 key share';
      return;
    }
    this.suite = suite;
    this.transcript.push(m.raw);
    let shared: Buffer;
    try {
      const pub = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: sh.keyShare.key.toString('base64url') }, format: 'jwk' });
      shared = diffieHellman({ privateKey: this.privateKey, publicKey: pub });
    } catch {
      this.fatal = 'the server\'s x25519 key share is not a valid public key';
      return;
    }
    const secrets = handshakeSecrets(suite, shared, Buffer.concat(this.transcript));
    this.serverHsSecret = secrets.server;
    this.handshakeKeys = { client: packetKeys(secrets.client, suite), server: packetKeys(secrets.server, suite) };
    const pending = this.buffered;
    this.buffered = [];
    for (const p of pending) {
      try {
        this.openAndHandle(p, 'handshake');
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        this.note(err.message);
      }
      if (this.finishedWaiting) return;
    }
  }

  private onHandshakeMessage(m: HandshakeMessage): void {
    const suite = this.suite!;
    switch (m.type) {
      case HS.encryptedExtensions:
        if (this.encryptedExtensions) break;
        this.encryptedExtensions = parseEncryptedExtensions(m.body);
        break;
      case HS.certificateRequest:
        this.certificateRequested = true;
        break;
      case HS.certificate:
        if (!this.encryptedExtensions) {
          this.fatal = 'Certificate before EncryptedExtensions';
          return;
        }
        this.chain = parseCertificateMessage(m.body);
        if (!this.chain.length) {
          this.fatal = 'the server sent an empty certificate chain';
          return;
        }
        break;
      case HS.certificateVerify: {
        if (!this.chain) {
          this.fatal = 'CertificateVerify before Certificate';
          return;
        }
        const cv = parseCertificateVerify(m.body);
        const ok = checkCertificateVerify(this.chain[0]!, cv.scheme, cv.signature, hash(suite.hash, Buffer.concat(this.transcript)));
        this.certificateVerify = ok === true;
        if (typeof ok === 'string') this.certificateVerifyNote = ok;
        break;
      }
      case HS.finished: {
        const expected = finishedMac(suite, this.serverHsSecret!, Buffer.concat(this.transcript));
        this.finished = expected.equals(m.body);
        break;
      }
      default:
        this.fatal = `unexpected TLS message type ${m.type} in Handshake packets`;
        return;
    }
    this.transcript.push(m.raw);
  }
}

function varintLen(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n < 1073741824 ? 4 : 8;
}
