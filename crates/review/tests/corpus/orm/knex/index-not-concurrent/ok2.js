exports.up = function (knex) {
  return knex.schema.createTable('users', (table) => {
    table.string('email');
    table.index(['email']);
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
