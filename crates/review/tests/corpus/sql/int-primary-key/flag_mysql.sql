-- dialect: mysql
CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, total BIGINT);
