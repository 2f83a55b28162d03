exports.up = async function (knex) {
  const table = 'users';
  await knex.raw(`UPDATE ${table} SET flag = true`);
};

exports.down = async function (knex) {
  return Promise.resolve();
};
