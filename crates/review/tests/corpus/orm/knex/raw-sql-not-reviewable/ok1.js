exports.up = async function (knex) {
  await knex.raw('UPDATE users SET flag = true WHERE id = ?', [1]);
};

exports.down = async function (knex) {
  return Promise.resolve();
};
