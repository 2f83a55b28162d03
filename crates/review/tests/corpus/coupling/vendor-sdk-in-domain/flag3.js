// fcto-corpus-path: app/domain/notify.js
const { WebClient } = require("@slack/web-api");
