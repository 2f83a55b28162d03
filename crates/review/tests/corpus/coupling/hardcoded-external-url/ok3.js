// const url = "https://api.stripe.com/v1/charges";
/* fetch("https://api.twilio.com") */
const ns = "http://www.w3.org/2000/svg";
const url = `${process.env.TWILIO_BASE_URL}/2010-04-01/Accounts`;
const re = /https:\/\/api\.stripe\.com/;
