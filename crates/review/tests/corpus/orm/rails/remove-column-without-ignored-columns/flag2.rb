class Change < ActiveRecord::Migration[7.1]
  def change
    change_table :users do |t|
      t.remove :legacy_code, :old_flag
    end
  end
end
