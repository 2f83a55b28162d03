const config = {
  apiKey: process.env.FIREBASE_API_KEY,
  tokenType: "Bearer",
  secret: "",
};
const placeholder = { password: "<your password>" };
