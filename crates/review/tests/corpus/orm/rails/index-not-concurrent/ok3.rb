class Change < ActiveRecord::Migration[7.1]
  def up
    say 'nothing'
  end

  def down
    add_index :users, :email
  end
end
