const test = require("node:test");
const assert = require("node:assert");

// A Stripe test key is fine in tests; it is accepted in .fcto/secrets-allow.toml.
const STRIPE_TEST_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

test("deposit threshold", () => {
  assert.ok(STRIPE_TEST_KEY.startsWith("sk_test_"));
});
