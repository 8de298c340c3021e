package dev.atelier.transport.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The federation's certificate authority (BouncyCastle): creates the CA, issues node and
 * coordinator certificates (ECDSA P-256, SHA-256), and revokes them. Files follow
 * {@link CertLayout}. Issuing a node certificate adds its name to {@code allowlist.txt};
 * revoking a name appends every serial issued to it to {@code revoked.txt}, which the
 * coordinator re-reads while running.
 *
 * <p>Not thread-safe; meant for the {@code atelier certs} commands and tests.
 */
public final class CertificateAuthority {
    private static final Pattern NAME = TrustFiles.NODE_NAME;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;
    private final X509Certificate caCert;
    private final PrivateKey caKey;

    private CertificateAuthority(Path dir, X509Certificate caCert, PrivateKey caKey) {
        this.dir = dir;
        this.caCert = caCert;
        this.caKey = caKey;
    }

    /** Creates a new CA in {@code dir}; refuses to overwrite an existing one. */
    public static CertificateAuthority init(Path dir, String commonName, Duration validity) throws IOException {
        if (Files.exists(dir.resolve(CertLayout.CA_KEY))) {
            throw new IOException("a CA already exists in " + dir + " (ca.key present); refusing to overwrite it");
        }
        KeyPair kp = newKeyPair();
        X500Name subject = name(commonName);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            subject,
                            newSerial(),
                            Date.from(now.minusSeconds(60)),
                            Date.from(now.plus(validity)),
                            subject,
                            kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, kp.getPrivate());
            Files.createDirectories(dir);
            Pem.writePrivateKey(kp.getPrivate(), dir.resolve(CertLayout.CA_KEY));
            Pem.writeCertificate(cert, dir.resolve(CertLayout.CA_CERT));
            writeIfAbsent(
                    dir.resolve(CertLayout.ALLOWLIST),
                    "# node names allowed to join (one per line); `atelier certs issue` adds to it\n");
            writeIfAbsent(
                    dir.resolve(CertLayout.REVOKED),
                    "# revoked certificates: SERIAL_HEX NAME REVOKED_AT; `atelier certs revoke` adds to it\n");
            writeIfAbsent(dir.resolve(CertLayout.ISSUED), "# serial_hex\tname\trole\tnot_after\n");
            return new CertificateAuthority(dir, cert, kp.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IOException("could not create the CA: " + e.getMessage(), e);
        }
    }

    /** Opens the CA in {@code dir} (needs ca.crt and ca.key). */
    public static CertificateAuthority load(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(CertLayout.CA_KEY))) {
            throw new IOException(
                    "no CA in " + dir + " (ca.key missing) — run `atelier certs init --dir " + dir + "` first");
        }
        return new CertificateAuthority(
                dir,
                Pem.readCertificate(dir.resolve(CertLayout.CA_CERT)),
                Pem.readPrivateKey(dir.resolve(CertLayout.CA_KEY)));
    }

    public X509Certificate certificate() {
        return caCert;
    }

    public Path dir() {
        return dir;
    }

    /** Issues a certificate valid from now for {@code validity}. */
    public IssuedCertificate issue(String name, Role role, List<String> subjectAltNames, Duration validity)
            throws IOException {
        Instant now = Instant.now();
        return issue(name, role, subjectAltNames, now.minusSeconds(60), now.plus(validity));
    }

    /**
     * Issues a certificate for {@code name} and writes its bundle to {@code dir/name/}.
     *
     * @param subjectAltNames DNS names or IP addresses the coordinator is reached at (coordinator
     *                        role; nodes need none)
     */
    public IssuedCertificate issue(
            String name, Role role, List<String> subjectAltNames, Instant notBefore, Instant notAfter)
            throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("certificate name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-' and start with a letter or digit");
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException(
                    "certificate validity ends (" + notAfter + ") before it starts (" + notBefore + ")");
        }
        KeyPair kp = newKeyPair();
        BigInteger serial = newSerial();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            KeyPurposeId[] purposes = role == Role.COORDINATOR
                    ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                    : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            caCert, serial, Date.from(notBefore), Date.from(notAfter), name(name), kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            List<GeneralName> sans = new ArrayList<>();
            for (String san : subjectAltNames) {
                sans.add(
                        looksLikeIp(san)
                                ? new GeneralName(GeneralName.iPAddress, san)
                                : new GeneralName(GeneralName.dNSName, san));
            }
            if (!sans.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            X509Certificate cert = sign(b, caKey);
            CertLayout.Bundle bundle = new CertLayout.Bundle(dir.resolve(name));
            Pem.writePrivateKey(kp.getPrivate(), bundle.key());
            Pem.writeCertificate(cert, bundle.cert());
            Pem.writeCertificate(caCert, bundle.caCert());
            append(
                    dir.resolve(CertLayout.ISSUED),
                    serial.toString(16) + "\t" + name + "\t" + role + "\t" + notAfter + "\n");
            if (role == Role.NODE
                    && !TrustPolicy.readAllowlist(dir.resolve(CertLayout.ALLOWLIST))
                            .contains(name)) {
                append(dir.resolve(CertLayout.ALLOWLIST), name + "\n");
            }
            return new IssuedCertificate(name, role, serial, notAfter, bundle.dir());
        } catch (GeneralSecurityException e) {
            throw new IOException("could not issue a certificate for " + name + ": " + e.getMessage(), e);
        }
    }

    /** Bundle name the coordinator config uses by default ({@code coordinator_cert}). */
    public static final String DEFAULT_COORDINATOR_BUNDLE = "coordinator";

    /**
     * Refuses an {@link #issue} that would silently replace something: a name reserved for the
     * CA's own files ({@code ca}, or a file of {@link CertLayout}), a node named like a
     * coordinator bundle (it would overwrite the coordinator's key and allowlist it as a node),
     * or a name that already has a bundle. Callers skip this check only on an explicit
     * {@code --force}; the file names of {@link CertLayout} are refused even then.
     *
     * @param force accept a reserved or existing name (the old bundle's key is replaced)
     * @throws IllegalArgumentException one line saying what exists and how to proceed
     */
    public void checkNewBundle(String name, Role role, boolean force) throws IOException {
        Path bundle = dir.resolve(name);
        if (Files.exists(bundle) && !Files.isDirectory(bundle)) {
            throw new IllegalArgumentException(
                    "'" + name + "' is the name of the CA file " + bundle + "; pick another certificate name");
        }
        if (force) {
            return;
        }
        if (name.equalsIgnoreCase("ca")) {
            throw new IllegalArgumentException("'" + name + "' is reserved for the CA itself; pick another name");
        }
        List<String> coordinatorBundles = issuedNames(Role.COORDINATOR);
        if (role == Role.NODE && (name.equals(DEFAULT_COORDINATOR_BUNDLE) || coordinatorBundles.contains(name))) {
            throw new IllegalArgumentException("'" + name + "' is the coordinator's bundle name: issuing a node"
                    + " certificate under it would replace the coordinator's key and allowlist it as a node;"
                    + " pick another node name (or pass --force if that is really what you want)");
        }
        if (Files.isDirectory(bundle)) {
            throw new IllegalArgumentException("a bundle for '" + name + "' already exists in " + bundle
                    + " (issued as " + (coordinatorBundles.contains(name) ? "coordinator" : "node")
                    + "); pass --force to replace its key (then restart whoever uses it; run"
                    + " 'atelier certs revoke " + name + "' first so the old certificate stops working),"
                    + " or pick another name");
        }
    }

    private List<String> issuedNames(Role role) throws IOException {
        Path issued = dir.resolve(CertLayout.ISSUED);
        if (!Files.exists(issued)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(issued, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (!line.startsWith("#") && f.length >= 3 && f[2].equals(role.name())) {
                names.add(f[1]);
            }
        }
        return names;
    }

    /**
     * Revokes every certificate issued to {@code name}; the coordinator refuses them from its
     * next handshake on (it re-reads revoked.txt).
     *
     * @return the serials newly revoked
     */
    public List<BigInteger> revoke(String name) throws IOException {
        List<BigInteger> serials = new ArrayList<>();
        var already = TrustPolicy.readRevoked(dir.resolve(CertLayout.REVOKED));
        for (String line : Files.readAllLines(dir.resolve(CertLayout.ISSUED), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (!line.startsWith("#") && f.length >= 2 && f[1].equals(name)) {
                BigInteger serial = new BigInteger(f[0], 16);
                if (!already.containsKey(serial)) {
                    serials.add(serial);
                }
            }
        }
        if (serials.isEmpty() && already.values().stream().noneMatch(name::equals)) {
            throw new IllegalArgumentException("no certificate was issued to '" + name + "' by the CA in " + dir);
        }
        StringBuilder lines = new StringBuilder();
        for (BigInteger s : serials) {
            lines.append(s.toString(16))
                    .append(' ')
                    .append(name)
                    .append(' ')
                    .append(Instant.now())
                    .append('\n');
        }
        append(dir.resolve(CertLayout.REVOKED), lines.toString());
        return serials;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("no EC P-256 key generator in this JVM: " + e.getMessage(), e);
        }
    }

    private static BigInteger newSerial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Atelier federation")
                .addRDN(BCStyle.CN, cn)
                .build();
    }

    private static boolean looksLikeIp(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"));
    }

    private static void writeIfAbsent(Path file, String content) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
