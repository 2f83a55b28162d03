const help = `
  A client key to pass when accessing the registry. Values should be in
  PEM format, for example: "-----BEGIN PRIVATE KEY-----\nXXXX\nXXXX\n-----END PRIVATE KEY-----"
`;
