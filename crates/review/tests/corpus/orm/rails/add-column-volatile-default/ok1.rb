class Change < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :seen_at, :datetime, default: -> { "now()" }
  end
end
