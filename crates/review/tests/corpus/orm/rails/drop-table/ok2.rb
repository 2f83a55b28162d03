class Change < ActiveRecord::Migration[7.1]
  def change
    reversible do |dir|
      dir.up { create_table :reports }
      dir.down { drop_table :reports }
    end
  end
end
