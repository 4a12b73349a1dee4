package dev.cleanroom.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The secret a test role is given is one the server accepts for that password: checked here
 * the way PostgreSQL checks a SCRAM login (RFC 5802). That every test logs in with it, on
 * real servers, is what the isolation tests show.
 */
class RolePasswordTest {

    @Test
    void theSecretVerifiesTheClientProofOfItsPasswordAndNoOther() throws Exception {
        String secret = RolePassword.secret("0123456789abcdef0123456789abcdef", RolePassword.ITERATIONS);
        assertThat(secret).matches("SCRAM-SHA-256\\$16:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}");
        String authMessage = "n=,r=client-nonce,r=client-nonceserver-nonce,s=salt,i=16,c=biws,r=client-nonceserver-nonce";

        assertThat(serverAccepts(secret, proof("0123456789abcdef0123456789abcdef", secret, authMessage), authMessage)).isTrue();
        assertThat(serverAccepts(secret, proof("0123456789abcdef0123456789abcdee", secret, authMessage), authMessage)).isFalse();
    }

    @Test
    void everyRoleGetsItsOwnSalt() {
        assertThat(RolePassword.secret("same", 16)).isNotEqualTo(RolePassword.secret("same", 16));
        assertThat(RolePassword.clause("abc")).startsWith("PASSWORD 'SCRAM-SHA-256$16:").endsWith("'");
    }

    /** What the client sends: ClientKey XOR HMAC(StoredKey, AuthMessage), from the password and the secret's salt. */
    private static byte[] proof(String password, String secret, String authMessage) throws Exception {
        String[] parts = secret.split("[$:]");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        int iterations = Integer.parseInt(parts[1]);
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] signature = hmac(storedKey, authMessage.getBytes(StandardCharsets.US_ASCII));
        return xor(clientKey, signature);
    }

    /** What the server does: H(proof XOR HMAC(StoredKey, AuthMessage)) must equal the StoredKey it keeps. */
    private static boolean serverAccepts(String secret, byte[] proof, String authMessage) throws Exception {
        String[] parts = secret.split("[$:]");
        byte[] storedKey = Base64.getDecoder().decode(parts[3]);
        byte[] signature = hmac(storedKey, authMessage.getBytes(StandardCharsets.US_ASCII));
        return MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(xor(proof, signature)), storedKey);
    }

    private static byte[] hmac(byte[] key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
