const express = require('express');
const GH = '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';
const app = express();
const db = mysql.createPool('mysql://shop:Xol86DNxIpcvL1zX9U@10.0.3.7:3306/shop');
const client = new Api({
  apiKey: '_3SEEyVE6AW^pCvCFzT0KgpS',
  timeout: 3000,
});
const headers = { Authorization: `Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJGeUdBbzhsaWF4c0wiLCJpYXQiOjE3MzYxNzE2NTZ9.1f48sDjMB6Iyw7T6KgRAICZGEqsXnfUOJqq0lWlDOCs` };
const stripe = require('stripe')('sk_test_LDM0nyEciNYsZgAqQyUSQjBC');
module.exports = app;
