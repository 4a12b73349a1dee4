package dev.cleanroom.postgres.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.apiguardian.api.API;

/**
 * The {@code PASSWORD '...'} clause for a test role: a SCRAM-SHA-256 secret computed here
 * (RFC 5803 form, as PostgreSQL stores it) with few iterations, instead of the plain password
 * that the server would hash with its 4096 iterations.
 *
 * <p>That hash cost the server about 9 ms of CPU on every {@code CREATE ROLE} and every
 * fence of a reused schema (measured on PostgreSQL 15), and each login the client as much
 * again; on a 2-core machine running a parallel suite that is a large part of what isolating
 * a test costs. The iterations stretch weak passwords against offline guessing; these are
 * 128 random bits, made for one test and gone at its end, so they need no stretching. The
 * server takes a pre-hashed secret as is (never hashes it again) and logs in with it under
 * any {@code password_encryption} and with the {@code scram-sha-256}, {@code md5} and
 * {@code password} methods of {@code pg_hba.conf}. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
final class RolePassword {

    /** Iterations of the stored secret (the client repeats them at each login). */
    static final int ITERATIONS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RolePassword() {}

    /** {@code PASSWORD '<SCRAM-SHA-256 secret of password>'}; {@code password} is ASCII (hex). */
    static String clause(String password) {
        return "PASSWORD " + Sql.literal(secret(password, ITERATIONS));
    }

    /** {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}. */
    static String secret(String password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                    + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot compute SCRAM-SHA-256 (PBKDF2WithHmacSHA256, HmacSHA256)", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }
}
