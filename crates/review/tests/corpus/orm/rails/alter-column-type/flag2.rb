class Change < ActiveRecord::Migration[7.1]
  def change
    change_table :users do |t|
      t.change :age, :bigint
    end
  end
end
