exports.config = { transaction: false };

exports.up = async function (knex) {
  await knex.raw('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)');
};

exports.down = async function (knex) {
  return Promise.resolve();
};
