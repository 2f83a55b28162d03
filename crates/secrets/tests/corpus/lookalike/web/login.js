const password = process.env.DB_PASSWORD;
const apiKey = import.meta.env.VITE_API_KEY;
export function login(req) {
  const token = req.headers.authorization;
  return fetch('/api/login', { body: JSON.stringify({ password: form.password, token }) });
}
const messages = { password: 'Password', passwordHint: 'At least 12 characters', tokenExpired: 'Your session expired' };
if (token === 'expired') { refreshToken = null; }
const secretName = `${prefix}-db-secret`;
const passwordInput = document.querySelector('input[type=password]');
const taskRunner = 'disk-cleanup'; // sk- inside words
