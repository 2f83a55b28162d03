import axios from "axios";

export const getUser = (id: string) => axios.get(`${BASE}/users/${id}`);
