package dev.atelier.transport.security;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A certificate issued by the federation CA.
 *
 * @param name     the common name, which is the node's identity
 * @param role     node or coordinator
 * @param serial   the certificate serial number (what revocation lists)
 * @param notAfter end of validity
 * @param bundle   folder with cert.pem, key.pem and ca.crt to hand to that party
 */
public record IssuedCertificate(String name, Role role, BigInteger serial, Instant notAfter, Path bundle) {}
