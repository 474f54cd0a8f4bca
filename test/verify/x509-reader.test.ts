/**
 * Our DER certificate reader against the reader it replaced (the
 * @peculiar/asn1-x509 one, kept as a test oracle in helpers/): Node's bundled
 * roots, lab certificates of every kind the scenarios use, and hand-built
 * certificates with the rarer name and SAN encodings must give the same facts.
 * Also the loose name key the root index uses, and malformed input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { LabCa, derString } from '../../fixtures/pki/lab-ca.js';
import { certificateNameKeys, ipText, parseCertificate, pemToDer, type ParsedCertificate } from '../../src/verify/x509.js';
import { parseCertificateReference } from '../helpers/x509-reference.js';

const DAY = 86_400_000;

/** The facts both readers give, without Node's object and with problems counted, not worded. */
function facts(c: ParsedCertificate): Record<string, unknown> {
  const { node: _node, der, problems, notBefore, notAfter, ...rest } = c;
  return { ...rest, der: der.toString('hex'), problems: problems.length, notBefore: notBefore.getTime(), notAfter: notAfter.getTime() };
}

function same(der: Buffer, label: string): void {
  const ours = parseCertificate(der);
  const ref = parseCertificateReference(der);
  assert.ok(ours.ok, `${label}: ${!ours.ok && ours.error}`);
  assert.ok(ref.ok, `${label}: the reference reader refused it: ${!ref.ok && ref.error}`);
  assert.deepEqual(facts(ours.cert), facts(ref.cert), label);
}

// A minimal DER writer for hand-built certificates (Node's X509Certificate reads them; nobody checks the signature).
const len = (n: number): Buffer => (n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...p: Buffer[]): Buffer => tlv(0x30, ...p);
const set = (...p: Buffer[]): Buffer => tlv(0x31, ...p);
function oid(text: string): Buffer {
  const arcs = text.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const a of arcs.slice(2)) {
    const b: number[] = [a & 0x7f];
    for (let v = a >>> 7; v > 0; v >>>= 7) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}
const atv = (type: string, value: Buffer): Buffer => seq(oid(type), value);
const str = (tag: number, s: string, enc: BufferEncoding = 'latin1'): Buffer => tlv(tag, Buffer.from(s, enc));
const bmp = (s: string): Buffer => tlv(0x1e, Buffer.from(s, 'utf16le').swap16());
const universal = (s: string): Buffer => tlv(0x1c, Buffer.concat([...s].map((ch) => { const b = Buffer.alloc(4); b.writeUInt32BE(ch.codePointAt(0)!); return b; })));
const utcTime = (d: Date): Buffer => str(0x17, `${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`);
const genTime = (d: Date): Buffer => str(0x18, `${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`);
const ext = (id: string, value: Buffer, critical = false): Buffer => seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));

function cert(o: { subject: Buffer; issuer?: Buffer; notBefore?: Buffer; notAfter?: Buffer; extensions?: Buffer[]; serial?: Buffer; version?: boolean }): Buffer {
  const tbs = seq(
    ...(o.version === false ? [] : [tlv(0xa0, tlv(0x02, Buffer.from([2])))]),
    tlv(0x02, o.serial ?? Buffer.from([0x00, 0x9a, 0x01])),
    ecdsaSha256,
    o.issuer ?? o.subject,
    seq(o.notBefore ?? utcTime(new Date(Date.now() - DAY)), o.notAfter ?? utcTime(new Date(Date.now() + 90 * DAY))),
    o.subject,
    spki,
    ...(o.extensions?.length ? [tlv(0xa3, seq(...o.extensions))] : []),
  );
  return seq(tbs, ecdsaSha256, tlv(0x03, Buffer.from([0x00, 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01])));
}
const san = (...names: Buffer[]): Buffer => ext('2.5.29.17', seq(...names));
const otherName = (type: string, value: Buffer): Buffer => tlv(0xa0, oid(type), tlv(0xa0, value));

test('every one of Node\'s bundled roots reads the same as with the reader it replaced', () => {
  let n = 0;
  for (const pem of rootCertificates) for (const der of pemToDer(pem)) {
    same(der, `root #${n}`);
    n++;
  }
  assert.ok(n > 100);
});

test('lab certificates of every kind read the same', async () => {
  const ca = await LabCa.create();
  const inter = await ca.intermediate();
  const now = Date.now();
  const certs = [
    ca.der,
    inter.der,
    (await ca.issue({ dnsNames: ['example.com', '*.example.com'] })).der,
    (await inter.issue({ dnsNames: ['chain.example'] })).der,
    (await ca.issue({ dnsNames: ['old.example'], notBefore: new Date(now - 100 * DAY), notAfter: new Date(now - 10 * DAY) })).der,
    (await ca.issue({ dnsNames: ['far.example'], notAfter: new Date(Date.UTC(2061, 0, 2, 3, 4, 5)) })).der,
    (await ca.issue({ commonName: 'xmpp service', san: [{ type: 'srvName', value: '_xmpp-client.example.com' }, { type: 'xmppAddr', value: 'example.com' }] })).der,
    (await ca.issue({ commonName: 'bad types', san: [{ type: 'xmppAddr', value: 'example.com', stringType: 'ia5' }, { type: 'srvName', value: '_xmpp-server.example.com', stringType: 'utf8' }, { type: 'xmppAddr', value: 'bmp.example', stringType: 'bmp' }] })).der,
    (await ca.issue({ commonName: 'misc', san: [{ type: 'ip', value: '192.0.2.7' }, { type: 'ip', value: '2001:db8::1' }, { type: 'uri', value: 'xmpp:example.com' }, { type: 'email', value: 'admin@example.com' }, { type: 'otherName', oid: '1.2.3.4', valueDer: derString('x', 'printable') }] })).der,
    (await ca.issue({ commonName: `evil\u001b[2J\u001b[31mRED\u202eLTR${'x'.repeat(500)}`, dnsNames: ['hostile.example'] })).der,
    (await ca.issue({ dnsNames: ['noeku.example'], eku: null })).der,
    (await ca.issue({ dnsNames: ['rsa.example'], key: 'rsa2048', signatureHash: 'SHA-1' })).der,
    (await ca.issue({ commonName: 'no san' })).der,
    (await LabCa.selfSigned({ dnsNames: ['self.example'] })).der,
  ];
  certs.forEach((der, i) => same(der, `lab certificate #${i}`));
});

test('hand-built certificates with rare encodings read the same', () => {
  const name = (...rdns: Buffer[]): Buffer => seq(...rdns);
  const cases: [string, Buffer][] = [
    ['BMPString, UniversalString, TeletexString, IA5String and NumericString values', cert({ subject: name(set(atv('2.5.4.3', bmp('Grüße ✓'))), set(atv('2.5.4.10', universal('Örg'))), set(atv('2.5.4.11', str(0x14, 'T61 \xe9'))), set(atv('0.9.2342.19200300.100.1.25', str(0x16, 'example'))), set(atv('2.5.4.5', str(0x12, '12345')))) })],
    ['a multi-valued RDN and special characters', cert({ subject: name(set(atv('2.5.4.3', str(0x0c, 'a,b+c="d"', 'utf8')), atv('2.5.4.10', str(0x13, 'Org'))), set(atv('2.5.4.6', str(0x13, 'DE')))) })],
    ['an unknown attribute type, and BIT STRING and SEQUENCE values', cert({ subject: name(set(atv('2.5.4.3', tlv(0x03, Buffer.from([0, 0x41])))), set(atv('1.2.3.4.5', seq(str(0x0c, 'x', 'utf8'))))) })],
    ['an empty subject', cert({ subject: seq(), issuer: name(set(atv('2.5.4.3', str(0x13, 'Issuer')))) })],
    ['GeneralizedTime validity and no version field', cert({ subject: name(set(atv('2.5.4.3', str(0x13, 'gen')))), notBefore: genTime(new Date(Date.UTC(2020, 1, 3, 4, 5, 6))), notAfter: genTime(new Date(Date.UTC(2055, 6, 7, 8, 9, 10))), version: false })],
    ['SANs of every type, IP forms included', cert({
      subject: name(set(atv('2.5.4.3', str(0x0c, 'sans', 'utf8')))),
      extensions: [san(
        tlv(0x82, Buffer.from('dns.example')),
        tlv(0x81, Buffer.from('a@example.com')),
        tlv(0x86, Buffer.from('https://example.com/')),
        tlv(0x87, Buffer.from([192, 0, 2, 1])),
        tlv(0x87, Buffer.from('20010db8000000000000000000000001', 'hex')),
        tlv(0x87, Buffer.from('00000000000000000000000000000000', 'hex')),
        tlv(0x87, Buffer.from('20010db8000100000000000000000000', 'hex')),
        tlv(0x87, Buffer.from('20010db8000000010001000100010001', 'hex')),
        tlv(0x87, Buffer.from([10, 0, 0, 0, 255, 0, 0, 0])),
        tlv(0x87, Buffer.from([1, 2, 3])),
        tlv(0x88, oid('1.2.3.4').subarray(2)),
        tlv(0xa4, name(set(atv('2.5.4.3', str(0x13, 'dir'))))),
        otherName('1.3.6.1.5.5.7.8.5', str(0x0c, 'xmpp.example', 'utf8')),
        otherName('1.3.6.1.5.5.7.8.7', str(0x16, '_xmpp-client.example')),
        otherName('1.3.6.1.5.5.7.8.5', tlv(0x04, Buffer.from('oct'))),
      )],
    })],
    ['basicConstraints cA, EKU and a critical extension we do not read', cert({
      subject: name(set(atv('2.5.4.3', str(0x13, 'ca')))),
      extensions: [ext('2.5.29.19', seq(tlv(0x01, Buffer.from([0xff])), tlv(0x02, Buffer.from([0]))), true), ext('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1'), oid('2.5.29.37.0'))), ext('2.5.29.15', tlv(0x03, Buffer.from([0x05, 0xa0])), true)],
    })],
    ['a malformed SAN extension and a malformed EKU (problems, the certificate still usable)', cert({
      subject: name(set(atv('2.5.4.3', str(0x13, 'broken ext')))),
      extensions: [ext('2.5.29.17', Buffer.from([0x30, 0x05, 0x82, 0x01])), ext('2.5.29.37', Buffer.from([0x04, 0x00]))],
    })],
  ];
  for (const [label, der] of cases) same(der, label);
});

test('malformed input is refused by both readers, never thrown', () => {
  const good = cert({ subject: seq(set(atv('2.5.4.3', str(0x13, 'x')))) });
  for (const [label, der] of [
    ['garbage', Buffer.from('not a certificate at all')],
    ['truncated', good.subarray(0, good.length - 20)],
    ['a bare SEQUENCE', Buffer.from([0x30, 0x00])],
    ['an indefinite length', Buffer.from([0x30, 0x80, 0x00, 0x00])],
    ['a length past the end', Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])],
  ] as [string, Buffer][]) {
    const ours = parseCertificate(der);
    assert.equal(ours.ok, false, label);
    assert.equal(parseCertificateReference(der).ok, false, label);
  }
});

test('iPAddress SANs as text', () => {
  assert.equal(ipText(Buffer.from([192, 0, 2, 1])), '192.0.2.1');
  assert.equal(ipText(Buffer.from('20010db8000000000000000000000001', 'hex')), '2001:db8::1');
  assert.equal(ipText(Buffer.from('20010db8000100010001000100010001', 'hex')), '2001:db8:1:1:1:1:1:1');
  assert.equal(ipText(Buffer.from('20010db8000000010001000100010001', 'hex')), '2001:db8:0:1:1:1:1:1');
  assert.equal(ipText(Buffer.from([10, 0, 0, 0, 255, 0, 0, 0])), '10.0.0.0/8');
});

test('the loose name key: case, white space and string type do not matter; RDN order and values do', () => {
  const key = (subject: Buffer): string | null => certificateNameKeys(cert({ subject }))!.subject;
  const cn = (v: Buffer): Buffer => seq(set(atv('2.5.4.3', v)));
  assert.equal(key(cn(str(0x13, 'Lab  Root CA '))), key(cn(str(0x0c, ' lab root ca', 'utf8'))));
  assert.equal(key(cn(str(0x16, 'Mixed'))), key(cn(bmp('mixed'))));
  assert.notEqual(key(cn(str(0x13, 'Lab Root CA'))), key(cn(str(0x13, 'Lab Root CB'))));
  const two = (a: string, b: string): Buffer => seq(set(atv('2.5.4.6', str(0x13, a))), set(atv('2.5.4.3', str(0x13, b))));
  assert.notEqual(key(two('DE', 'x')), key(seq(set(atv('2.5.4.3', str(0x13, 'x'))), set(atv('2.5.4.6', str(0x13, 'DE'))))));
  // Within one RDN the order of the attributes does not matter.
  assert.equal(key(seq(set(atv('2.5.4.3', str(0x13, 'a')), atv('2.5.4.10', str(0x13, 'b'))))), key(seq(set(atv('2.5.4.10', str(0x13, 'b')), atv('2.5.4.3', str(0x13, 'a'))))));
});
