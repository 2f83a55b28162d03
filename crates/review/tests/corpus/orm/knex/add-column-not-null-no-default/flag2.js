exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table
      .integer('rank')
      .unsigned()
      .notNullable();
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
