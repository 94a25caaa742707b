import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  documentSecrets,
  hasSecretShape,
  isSecretKey,
  looksSecret,
  maskedDocumentText,
  maskSecretsInFreeText,
  maskSecretsInText,
  secretFingerprint,
} from "../../src/model/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const DD = "5ec7e7dd0c0ffee0ba5eba11f00dcafe";
const AWS = "Qx7vT2pL9mZ/aB3+cD4eF5gH6iJ7kL8mN9oP0qRs";

describe("what is secret", () => {
  it("judges the key first, then the shape of the value under any key", () => {
    expect(looksSecret("DD_API_KEY", "x1")).toBe(true);
    expect(looksSecret("apikey", DD)).toBe(true);
    expect(looksSecret("DD_API_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:dd")).toBe(false);
    expect(looksSecret("TOKEN_TTL", "3600")).toBe(false);
    expect(looksSecret("CACHE_SEED", DD)).toBe(true);
    expect(looksSecret("UPLOADER", AWS)).toBe(true);
    expect(looksSecret("GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567")).toBe(false);
    expect(hasSecretShape("abcdefghijklmnopqrstuvwxyzabcdefghijklmn")).toBe(false);
  });

  it("skips a logger's level, the Secrets Manager service name and placeholders, and nothing more", () => {
    expect(looksSecret("LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER", "DEBUG")).toBe(false);
    expect(isSecretKey("LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER")).toBe(false);
    expect(looksSecret("AUTH_TOKEN_LOG_LEVEL", "INFO")).toBe(false);
    expect(isSecretKey("AWS_SECRETSMANAGER_ENDPOINT")).toBe(false);
    expect(isSecretKey("SECRETS_MANAGER_TOKEN")).toBe(true);
    for (const placeholder of [
      "<DD API KEY>",
      "<the key>",
      "{{ api_key }}",
      "YOUR_API_KEY",
      "xxxxxxxx",
      "****",
    ]) {
      expect(looksSecret("DD_API_KEY", placeholder), placeholder).toBe(false);
    }
    // A value that only starts or ends like a placeholder is a value.
    for (const value of ["<abc", "abc>", "debugger1", "your", "x", "$ecret"]) {
      expect(looksSecret("DB_PASSWORD", value), value).toBe(true);
    }
    // The shape of a credential still counts under a logger's key.
    expect(looksSecret("LOGGING_LEVEL_ROOT", DD)).toBe(true);
    // Free text agrees: a placeholder or a level after a secret-named key stays readable.
    expect(maskSecretsInFreeText("LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER=DEBUG")).toBe(
      "LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER=DEBUG",
    );
    expect(maskSecretsInFreeText("DD_API_KEY=hunter2hunter2 failed")).toBe("DD_API_KEY=**** failed");
  });

  it("names a value by a short fingerprint", () => {
    expect(secretFingerprint(DD)).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(secretFingerprint(DD)).not.toBe(secretFingerprint(AWS));
  });
});

describe("masking a document's text", () => {
  it("masks JSON values in place, keeping keys, quotes, lines and length", () => {
    const text = JSON.stringify(
      { containerDefinitions: [{ name: "app", environment: [{ name: "DB_PASSWORD", value: "pw!" }] }] },
      null,
      2,
    );
    const masked = maskedDocumentText(parseDocument(text, "t.json"));
    expect(masked).toHaveLength(text.length);
    expect(masked).toContain('"value": "***"');
    expect(masked).toContain('"name": "DB_PASSWORD"');
    expect(masked.split("\n")).toHaveLength(text.split("\n").length);
  });

  it("masks YAML scalars, anchors and their copies", () => {
    const text = `containerDefinitions:
  - name: app
    environment:
      - name: DD_API_KEY
        value: &k ${DD}
      - name: SHORT_TOKEN
        value: 'ab c'
    logConfiguration:
      logDriver: awsfirelens
      options:
        apikey: *k
        Name: datadog
# copied here: ${DD}
`;
    const doc = parseDocument(text, "t.yaml");
    const masked = maskedDocumentText(doc);
    expect(masked).not.toContain(DD);
    expect(masked).not.toContain("ab c");
    expect(masked).toContain("value: '****'");
    expect(masked).toHaveLength(text.length);
    expect(documentSecrets(doc).values).toEqual(expect.arrayContaining([DD, "ab c"]));
  });

  it("keeps every character outside the spans and copies", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 8 }), (text, value) => {
        const masked = maskSecretsInText(text, { spans: [], values: [value] });
        expect(masked).toHaveLength(text.length);
        for (let i = 0; i < text.length; i++) {
          if (masked[i] !== text[i]) expect(masked[i]).toBe("*");
        }
      }),
    );
  });
});

describe("masking free text", () => {
  it("masks values after secret-named keys, bearer tokens and AWS-shaped words; keeps task ids", () => {
    const taskId = "0123456789abcdef0123456789abcdef";
    const text = `task/${taskId} stopped: DD_API_KEY=${DD} "apikey": "${DD}" Authorization: Bearer ${AWS}; x ${AWS}`;
    const masked = maskSecretsInFreeText(text);
    expect(masked).not.toContain(DD);
    expect(masked).not.toContain(AWS);
    expect(masked).toContain(taskId);
    expect(masked).toContain("DD_API_KEY=****");
    expect(masked).toContain('"apikey": "****"');
  });

  it("leaves prose and references alone", () => {
    for (const text of [
      "unable to pull secrets or registry auth: execution resource retrieval failed",
      "the token expired",
      "secret: arn:aws:secretsmanager:us-east-1:1:secret:dd",
      "TOKEN_TTL=3600",
    ]) {
      expect(maskSecretsInFreeText(text)).toBe(text);
    }
  });
});
