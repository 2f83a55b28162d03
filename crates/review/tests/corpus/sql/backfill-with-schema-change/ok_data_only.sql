UPDATE users SET plan = 'free' WHERE plan IS NULL AND id < 10000;
