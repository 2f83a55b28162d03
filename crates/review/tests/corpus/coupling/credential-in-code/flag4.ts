const headers = { Authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.abcdefghijklmnop" };
