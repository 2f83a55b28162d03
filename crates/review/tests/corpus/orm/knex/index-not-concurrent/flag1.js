exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.index(['email'], 'users_email_idx');
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
