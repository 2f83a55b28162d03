class Change < ActiveRecord::Migration[7.1]
  def change
    change_column_default :users, :age, from: nil, to: 0
  end
end
