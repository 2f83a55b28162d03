const config = {
  apiKey: "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
  slack: "xoxb-2345678901-2345678901234-AbCdEfGhIjKlMnOpQrStUvWx",
};
