package dev.atelier.transport.security;

/** What a certificate may be used for; enforced through its extended key usage. */
public enum Role {
    /** A federation node: TLS client authentication only, so it cannot pose as the coordinator. */
    NODE,
    /** The coordinator: TLS server authentication (and client authentication). */
    COORDINATOR
}
