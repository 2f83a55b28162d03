class Change < ActiveRecord::Migration[7.1]
  def up
    say 'x'
  end

  def down
    change_column :users, :age, :integer
  end
end
