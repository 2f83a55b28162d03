import axios from "axios";

const api = axios.create({ baseURL: BASE, timeout: 10_000 });
export const getUser = (id: string) => axios.get(`${BASE}/users/${id}`, { timeout: 5000 });
export const other = (id: string) => axios.get(`${BASE}/users/${id}`, requestConfig);
