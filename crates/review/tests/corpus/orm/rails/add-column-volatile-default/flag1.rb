class Change < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :token, :uuid, default: -> { "gen_random_uuid()" }
  end
end
